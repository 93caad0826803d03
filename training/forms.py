"""Forms of the training pages (the attempt page's answers are read by
`training.presentation.answer_from_post`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.imports.limits import size_message, upload_max_bytes


class BankImportForm(forms.Form):
    file = forms.FileField(
        label=_("Moodle XML, CSV or Excel file"),
        help_text=_(
            "Questions are matched by category and name: new ones are added, changed "
            "ones get a new version, the same file twice changes nothing."
        ),
    )

    skip_unsupported = forms.BooleanField(
        label=_("Import the supported questions and list the others"),
        help_text=_(
            "Moodle questions of types the portal has not (Essay, Embedded answers (Cloze) "
            "and others) are left out and listed, instead of refusing the whole file."
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_max_bytes():
            raise forms.ValidationError(size_message(upload_max_bytes()))
        return upload


class CertificateCodeForm(forms.Form):
    """The code printed under a certificate's QR, typed by whoever holds the paper."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        # Codes copied from a PDF arrive with spaces or dashes; they are not part of it.
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").upper()
        if not (code.isascii() and code.isalnum()):
            raise forms.ValidationError(
                _("Type the code as printed on the certificate: Latin letters and digits.")
            )
        return code


class CertificateRevokeForm(forms.Form):
    """The confirm step of withdrawing a certificate: why (kept and shown to HQ)."""

    reason = forms.CharField(
        label=_("Why is the certificate withdrawn?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The public check will show the certificate as withdrawn from today, and the "
            "person is assigned the exam again."
        ),
    )
