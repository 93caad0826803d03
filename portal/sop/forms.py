from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from portal.sop.choices import ChangeKind


class ReadablePageForm(WagtailAdminPageForm):
    """The editor says, on every change, whether readers must confirm again.

    The choice is never carried over from the previous publication: a forgotten «material»
    would ask the whole audience again, a forgotten «minor» would hide a real change. A draft
    not yet live (say, one in review) keeps its author's choice and summary: they describe
    that draft, and the reviewer reads and approves them as they are.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "change_kind" not in self.fields:
            return
        self.fields["change_kind"].required = True
        self.fields["change_kind"].widget = forms.RadioSelect(choices=ChangeKind.choices)
        self.fields["change_kind"].choices = ChangeKind.choices
        published_before = bool(self.instance.pk and self.instance.first_published_at)
        draft_pending = bool(self.instance.pk and self.instance.has_unpublished_changes)
        if published_before and not self.is_bound and not draft_pending:
            self.initial["change_kind"] = ""
            self.initial["change_summary"] = ""
        elif not published_before:
            self.initial["change_kind"] = ChangeKind.MATERIAL
            self.fields["change_kind"].help_text = _(
                "The first publication asks the whole audience to confirm."
            )

    def clean(self):
        cleaned = super().clean()
        published_before = bool(self.instance.pk and self.instance.first_published_at)
        if (
            published_before
            and cleaned.get("change_kind") == ChangeKind.MATERIAL
            and not (cleaned.get("change_summary") or "").strip()
        ):
            self.add_error(
                "change_summary",
                _("Say what changed: readers asked to confirm again see this first."),
            )
        return cleaned


class AcknowledgeForm(forms.Form):
    """The reader confirms the revision they were shown, not whatever is live by now."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    understood = forms.BooleanField(label=_("I have read and understood this page"))
