"""What the attempt page posts, turned into the answer the scoring understands."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


def answer_from_post(qtype: str, data: dict, post: QueryDict) -> dict | None:
    """The answer dict for one question from its form fields, or None when left blank."""
    if qtype == "single":
        return {"option": post["option"]} if post.get("option") else None
    if qtype == "multi":
        return {"options": post.getlist("options")}
    if qtype == "truefalse":
        value = post.get("value")
        return {"value": value == "true"} if value in ("true", "false") else None
    if qtype in ("numeric", "shorttext"):
        value = post.get("value", "").strip()
        return {"value": value} if value else None
    if qtype == "matching":
        pairs = {p["id"]: post.get(f"pair-{p['id']}") for p in data["pairs"]}
        return {"pairs": {left: right for left, right in pairs.items() if right}}
    if qtype == "ordering":
        places = []
        for item in data["items"]:
            try:
                places.append((int(post.get(f"place-{item['id']}", "")), item["id"]))
            except ValueError:
                return None
        return {"order": [item_id for _place, item_id in sorted(places)]}
    return None


class BankImportForm(forms.Form):
    file = forms.FileField(
        label=_("Moodle XML or CSV file"),
        help_text=_(
            "Questions are matched by category and name: new ones are added, changed "
            "ones get a new version, the same file twice changes nothing."
        ),
    )


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
