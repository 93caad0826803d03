"""Forms of the kpi app."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ReceiptsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Receipts file (CSV or Excel)"),
        help_text=_(
            "CSV from the POS or Excel: UTF-8 or Windows-1251, separated by ; or ,. The file "
            "is applied only if every row is valid; receipts already loaded are skipped."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KPI_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: load it with the bulk command.")
                % {"mb": settings.KPI_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class BatchDecisionReasonForm(forms.Form):
    """Why a batch is rejected or reverted (kept in its event row)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the batch's history; the uploader sees it."),
    )
