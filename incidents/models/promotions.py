"""«Акции»: the LP's promotions as Wagtail pages (dates and rules), which the promotion
script and the desk's tickets link to."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class PromotionIndexPage(Page):
    """The «Акции» section: current promotions first, then the coming and the past ones."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["incidents.PromotionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("promotions section")
        verbose_name_plural = _("promotions sections")

    def get_context(self, request, *args, **kwargs):
        from incidents.selectors.promotions import promotions_by_period

        context = super().get_context(request, *args, **kwargs)
        context.update(promotions_by_period(index=self, today=timezone.localdate()))
        return context


class PromotionPage(Page):
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    summary = models.CharField(_("in one line"), max_length=300)
    members_only = models.BooleanField(_("for LP members only"), default=True)
    rules = RichTextField(_("rules"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("summary"),
        FieldPanel("members_only"),
        FieldPanel("rules"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("rules")]
    parent_page_types = ["incidents.PromotionIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A promotion cannot end before it starts.")})

    def is_current(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on
