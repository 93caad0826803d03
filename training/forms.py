"""Forms of the training pages (the attempt page's answers are read by
`training.presentation.answer_from_post`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.imports.limits import size_message, upload_max_bytes


class BankImportForm(forms.Form):
    file = forms.FileField(
        label=_("Moodle XML or CSV file"),
        help_text=_(
            "Questions are matched by category and name: new ones are added, changed "
            "ones get a new version, the same file twice changes nothing."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_max_bytes():
            raise forms.ValidationError(size_message(upload_max_bytes()))
        return upload
