"""Wagtail page types of the SOP library: the index, SOP pages and customer scripts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.sop.blocks import ScriptStepsBlock, SopBodyBlock
from portal.sop.choices import Aspect, ChangeKind, ComplaintCategory
from portal.sop.fields import RoleSetField
from portal.sop.forms import ReadablePageForm


class SopIndexPage(Page):
    """The library's section in the content tree; SOPs and scripts live below it."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["sop.SopPage", "sop.ScriptPage"]
    max_count = 1

    class Meta:
        verbose_name = _("SOP library")
        verbose_name_plural = _("SOP libraries")

    def serve(self, request, *args, **kwargs):
        # The library lists pages by audience and status: that is the portal's own view.
        return redirect("sop:library")


class ReadablePage(Page):
    """What SOP and script pages share: audience, confirmation, ownership and review.

    Not creatable itself; its table lets one query cover every readable page.
    """

    summary = models.TextField(_("summary"), blank=True)
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("content owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_by = models.DateField(_("review by"), null=True, blank=True)
    aspect = models.CharField(
        _("aspect of the programme"),
        max_length=32,
        choices=Aspect.choices,
        default=Aspect.CUSTOMER_WORK,
    )
    audience_roles = RoleSetField(
        _("roles"), help_text=_("Who reads this page: people with these roles.")
    )
    audience_regions = ParentalManyToManyField(
        "org.Region",
        verbose_name=_("only in regions"),
        blank=True,
        related_name="+",
        help_text=_("Leave regions and stores empty for the whole network."),
    )
    audience_stores = ParentalManyToManyField(
        "org.Store", verbose_name=_("only in stores"), blank=True, related_name="+"
    )
    mandatory = models.BooleanField(
        _("mandatory"), default=True, help_text=_("The audience must confirm it.")
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to confirm"),
        default=7,
        help_text=_("Counted from publication, or from hire or transfer for newcomers."),
    )
    change_kind = models.CharField(
        _("this change is"), max_length=16, choices=ChangeKind.choices, blank=True
    )
    change_summary = models.TextField(
        _("what changed"),
        blank=True,
        help_text=_("Shown to readers asked to confirm again."),
    )

    is_creatable = False
    parent_page_types = ["sop.SopIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ReadablePageForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=1.5),
        index.FilterField("mandatory"),
        index.FilterField("aspect"),
    ]

    audience_panels = [
        FieldPanel("audience_roles"),
        FieldRowPanel([FieldPanel("audience_regions"), FieldPanel("audience_stores")]),
        FieldRowPanel([FieldPanel("mandatory"), FieldPanel("due_days")]),
    ]
    meta_panels = [
        FieldPanel("aspect"),
        FieldRowPanel([FieldPanel("content_owner"), FieldPanel("review_by")]),
    ]
    change_panels = [
        MultiFieldPanel(
            [FieldPanel("change_kind"), FieldPanel("change_summary")],
            heading=_("Change for readers"),
        )
    ]

    class Meta:
        verbose_name = _("readable page")
        verbose_name_plural = _("readable pages")

    @classmethod
    def tabbed(cls, content_panels):
        return TabbedInterface(
            [
                ObjectList([*content_panels, *cls.change_panels], heading=_("Content")),
                ObjectList(cls.audience_panels, heading=_("Audience")),
                ObjectList(cls.meta_panels, heading=_("Owner and review")),
                ObjectList(Page.promote_panels, heading=_("Promote")),
                ObjectList(Page.settings_panels, heading=_("Publishing")),
            ]
        )

    def serve(self, request, *args, **kwargs):
        from portal.sop import selectors

        if not selectors.page_readable_by(page=self, user=request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from portal.sop import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.reading_context(page=self, user=request.user))
        return context


class SopPage(ReadablePage):
    """A standard operating procedure («регламент»)."""

    body = StreamField(SopBodyBlock(), verbose_name=_("body"))

    search_fields = [*ReadablePage.search_fields, index.SearchField("body")]
    edit_handler = ReadablePage.tabbed(
        [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    )
    template = "sop/sop_page.html"

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOPs")


class ScriptPage(ReadablePage):
    """A script for one typical customer question («схема взаимодействия»)."""

    category = models.CharField(
        _("complaint category"), max_length=32, choices=ComplaintCategory.choices
    )
    trigger = models.TextField(_("the customer says"))
    steps = StreamField(ScriptStepsBlock(), verbose_name=_("steps"))
    phrases_to_use = models.TextField(_("phrases to use"), blank=True, help_text=_("One a line."))
    phrases_to_avoid = models.TextField(
        _("phrases to avoid"), blank=True, help_text=_("One a line.")
    )
    escalation = models.TextField(_("when to escalate"), blank=True)

    search_fields = [
        *ReadablePage.search_fields,
        index.SearchField("trigger", boost=1.5),
        index.SearchField("steps"),
        index.SearchField("phrases_to_use"),
        index.SearchField("escalation"),
        index.FilterField("category"),
    ]
    edit_handler = ReadablePage.tabbed(
        [
            *Page.content_panels,
            FieldPanel("summary"),
            FieldPanel("category"),
            FieldPanel("trigger"),
            FieldPanel("steps"),
            FieldRowPanel([FieldPanel("phrases_to_use"), FieldPanel("phrases_to_avoid")]),
            FieldPanel("escalation"),
        ]
    )
    template = "sop/script_page.html"

    class Meta:
        verbose_name = _("customer script")
        verbose_name_plural = _("customer scripts")

    @property
    def phrases_to_use_list(self) -> list[str]:
        return [line.strip() for line in self.phrases_to_use.splitlines() if line.strip()]

    @property
    def phrases_to_avoid_list(self) -> list[str]:
        return [line.strip() for line in self.phrases_to_avoid.splitlines() if line.strip()]
