"""The checklist's sections and questions as LP managers write them in the CMS (a
StreamField of sections, each a list of questions). Publishing freezes them into a
`ChecklistVersion` with a row per section and question (`audits.services.checklist_publish`);
a block's id stays with a question from version to version, so its results add up across
versions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from audits.choices import Critical, PosFact, QuestionKind


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("option"), max_length=200)
    share = blocks.DecimalBlock(
        label=_("share of the points"), min_value=0, max_value=1, decimal_places=2, default=1
    )

    class Meta:
        label = _("option")


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("question"), max_length=300)
    kind = blocks.ChoiceBlock(
        choices=QuestionKind.choices, default=QuestionKind.YES_NO, label=_("answer")
    )
    guidance = blocks.TextBlock(label=_("what counts as yes"), required=False)
    weight = blocks.DecimalBlock(label=_("weight"), min_value=0, decimal_places=1, default=1)
    critical = blocks.ChoiceBlock(
        choices=Critical.choices, default=Critical.NO, required=False, label=_("critical")
    )
    allow_na = blocks.BooleanBlock(label=_("N/A allowed"), required=False, default=True)
    photo_when_failed = blocks.BooleanBlock(label=_("photo required when failed"), required=False)
    options = blocks.ListBlock(
        OptionBlock(), label=_("options (for a choice)"), required=False, min_num=0
    )
    low = blocks.DecimalBlock(label=_("passes from (a number)"), required=False)
    high = blocks.DecimalBlock(label=_("passes up to (a number)"), required=False)
    sop_page = blocks.PageChooserBlock(
        page_type="sop.ReadablePage", required=False, label=_("SOP page it checks")
    )
    sop_step = blocks.CharBlock(label=_("step of the SOP"), required=False, max_length=100)
    pos_fact = blocks.ChoiceBlock(
        choices=PosFact.choices,
        default=PosFact.NONE,
        required=False,
        label=_("checked against the till"),
    )

    class Meta:
        label = _("question")
        icon = "help"


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("section"), max_length=200)
    pass_mark = blocks.IntegerBlock(label=_("pass mark, %"), min_value=0, max_value=100, default=80)
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"))

    class Meta:
        label = _("section")
        icon = "list-ul"
