"""StreamField blocks of SOP and script pages.

Every block renders through `templates/sop/blocks/<name>.html`, on the portal and in the
PDF alike, so what the reader confirms is what they printed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from portal.sop.choices import CalloutKind

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"))
    detail = blocks.TextBlock(label=_("details"), required=False)

    class Meta:
        label = _("step")


class StepsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(StepBlock(), **kwargs)

    class Meta:
        label = _("numbered steps")
        icon = "list-ol"
        template = "sop/blocks/steps.html"


class DoDontBlock(blocks.StructBlock):
    do = blocks.ListBlock(blocks.CharBlock(), label=_("do"))
    dont = blocks.ListBlock(blocks.CharBlock(), label=_("don't"))

    class Meta:
        label = _("do / don't")
        icon = "tasks"
        template = "sop/blocks/do_dont.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=CalloutKind.choices, default=CalloutKind.WARNING, label=_("kind")
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("text"))

    class Meta:
        label = _("callout")
        icon = "warning"
        template = "sop/blocks/callout.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        label = _("image")
        icon = "image"
        template = "sop/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(required=False, label=_("link text"))

    class Meta:
        label = _("document")
        icon = "doc-full"
        template = "sop/blocks/document.html"


class ScriptEmbedBlock(blocks.PageChooserBlock):
    def __init__(self, **kwargs):
        super().__init__(page_type="sop.ScriptPage", **kwargs)

    class Meta:
        label = _("customer script")
        icon = "openquote"
        template = "sop/blocks/script.html"


class SopBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("heading"), icon="title", template="sop/blocks/heading.html")
    paragraph = blocks.RichTextBlock(
        label=_("text"), features=RICH_TEXT_FEATURES, template="sop/blocks/paragraph.html"
    )
    steps = StepsBlock()
    do_dont = DoDontBlock()
    callout = CalloutBlock()
    image = ImageBlock()
    document = DocumentBlock()
    script = ScriptEmbedBlock()


class ScriptStepBlock(blocks.StructBlock):
    say = blocks.TextBlock(label=_("the employee says"))
    do = blocks.TextBlock(label=_("the employee does"), required=False)

    class Meta:
        label = _("step")
        icon = "openquote"
        template = "sop/blocks/script_step.html"


class ScriptBranchBlock(blocks.StructBlock):
    condition = blocks.CharBlock(label=_("if"))
    steps = blocks.ListBlock(blocks.TextBlock(), label=_("then"))

    class Meta:
        label = _("branch")
        icon = "redirect"
        template = "sop/blocks/script_branch.html"


class ScriptStepsBlock(blocks.StreamBlock):
    step = ScriptStepBlock()
    branch = ScriptBranchBlock()
    callout = CalloutBlock()
