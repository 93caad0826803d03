from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from portal.imports.limits import size_message, upload_max_bytes
from portal.org.models import User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail or personnel number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "Wrong e-mail, personnel number or password. Note that the password is case-sensitive."
        ),
        "inactive": _("This account is deactivated."),
    }


class OrgImportForm(forms.Form):
    KIND_CHOICES = [("stores", _("Stores and regions")), ("people", _("Staff"))]

    kind = forms.ChoiceField(label=_("What the file contains"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "CSV (UTF-8 or Windows-1251, separated by ';', ',' or tab) or an Excel workbook "
            "(.xlsx, its first sheet). Up to 5 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_max_bytes():
            raise forms.ValidationError(size_message(upload_max_bytes()))
        return upload


class FirstPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches new hires, whose accounts have no password yet.

    Imported people get an unusable password; this link is how they set their first one.
    Deactivated accounts still get nothing, and unknown addresses are not revealed.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class ActivationForm(forms.Form):
    """A first password with the code from the store manager (people without e-mail)."""

    personnel_number = forms.CharField(
        label=_("Personnel number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "numeric"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("Eight characters from your store manager, e.g. K7QM-3XHP."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("The two passwords differ."))
        return data
