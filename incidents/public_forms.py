"""Forms of the customer's pages: the public complaint, the status check, a message to the
desk and the rating. Values are typed the Russian way (a date as 05.03.2026, an amount as
«1 234,50») and named back by field when they cannot be read."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.choices import Category
from incidents.services.csat import COMMENT_MAX
from incidents.services.intake import DESCRIPTION_MAX, phone_normalise
from portal.files.images import image_clean
from portal.org.selectors import stores_of

MESSAGE_MAX = 5000
# Spaces people and spreadsheets put between thousands: ordinary, no-break, thin, narrow.
_THOUSANDS = re.compile(r"[ \u00a0\u2009\u202f]")
_AMOUNT = re.compile(r"^[0-9]{1,10}(\.[0-9]{1,2})?$")
_NUMBER_DIGITS = re.compile(r"\D+")
EARLIEST_PURCHASE = dt.date(2000, 1, 1)


class RoubleAmountField(forms.CharField):
    """An amount in roubles as people write it: «1 234,50», «1234.5», «350 ₽»."""

    default_error_messages = {
        "invalid": _("Write the amount in roubles, e.g. 1 234,50."),
    }

    def widget_attrs(self, widget):
        attrs = {"maxlength": "32", "inputmode": "decimal", "autocomplete": "off"}
        return {**super().widget_attrs(widget), **attrs}

    def to_python(self, value) -> Decimal | None:
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 32:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        text = _THOUSANDS.sub("", text).removesuffix("₽").removesuffix("руб.").strip()
        text = text.replace(",", ".")
        if not _AMOUNT.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        if amount <= 0:
            raise ValidationError(_("The amount must be above zero."), code="min_value")
        return amount


class PhoneField(forms.CharField):
    """A Russian phone number, stored as 11 digits starting with 7."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "tel", "autocomplete": "tel"}

    def to_python(self, value) -> str:
        try:
            return phone_normalise(super().to_python(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def store_choices() -> list:
    """The active stores grouped by city, each «name, address» (one query)."""
    groups: dict[str, list] = {}
    rows = (
        stores_of(active_only=True)
        .order_by("city", "name")
        .values_list("pk", "city", "name", "address")
    )
    for pk, city, name, address in rows:
        groups.setdefault(city, []).append((str(pk), f"{name}, {address}"))
    return [("", _("— not about a particular store —")), *groups.items()]


class PublicComplaintForm(forms.Form):
    """The customer's complaint. `website` is a honeypot: hidden from people, so only a
    robot fills it in."""

    category = forms.ChoiceField(
        label=_("What is it about?"), choices=[("", "—"), *Category.choices]
    )
    store = forms.ChoiceField(label=_("Store"), required=False)
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=64, required=False)
    purchase_date = forms.DateField(
        label=_("Purchase date"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"],
        error_messages={"invalid": _("Write the date as dd.mm.yyyy, e.g. 05.03.2026.")},
    )
    receipt_amount = RoubleAmountField(label=_("Receipt amount, ₽"), required=False)
    description = forms.CharField(
        label=_("What happened"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    customer_name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    customer_phone = PhoneField(
        label=_("Your phone"),
        help_text=_("With the request number it lets you check the status here."),
    )
    customer_email = forms.EmailField(
        label=_("Your e-mail"),
        required=False,
        max_length=254,
        help_text=_("Optional: our answers and the rating link come by e-mail too."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    photo = forms.FileField(
        label=_("Photo of the receipt"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data (name, phone, e-mail) to handle "
            "this request, under Federal Law No. 152-FZ «On Personal Data»."
        ),
        error_messages={"required": _("We can take the request only with your consent.")},
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = store_choices()
        self.fields["photo"].help_text = _("Optional; JPEG, PNG or WebP up to %(max)s MB.") % {
            "max": settings.INCIDENTS_ATTACHMENT_MAX_BYTES // 2**20
        }

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def clean_store(self):
        pk = self.cleaned_data.get("store")
        if not pk:
            return None
        store = stores_of(active_only=True).filter(pk=pk).first() if pk.isdigit() else None
        if store is None:
            raise ValidationError(_("Choose a store from the list."))
        return store

    def clean_purchase_date(self) -> dt.date | None:
        day = self.cleaned_data.get("purchase_date")
        if day is None:
            return None
        if day > timezone.localdate():
            raise ValidationError(_("The purchase cannot be in the future."))
        if day < EARLIEST_PURCHASE:
            raise ValidationError(_("Check the year of the purchase."))
        return day

    def clean_photo(self) -> ContentFile | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        limit = settings.INCIDENTS_ATTACHMENT_MAX_BYTES
        clean = image_clean(upload, name=_("The photo"), max_bytes=limit)
        return ContentFile(clean.content, name="receipt.jpg")

    @property
    def receipt_at(self) -> dt.datetime | None:
        """The purchase day as the start of that day, local time (the form asks no time)."""
        day = self.cleaned_data.get("purchase_date")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))

    def add_service_errors(self, error: ValidationError) -> None:
        """The filing service's refusal, on the form's fields where it names one."""
        names = {"receipt_at": "purchase_date"}
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, problems in error.message_dict.items():
            name = names.get(field, field)
            self.add_error(name if name in self.fields else None, problems)


def number_normalise(raw: str) -> str:
    """A request number as printed (123-456-789), however it was typed; "" if not one."""
    digits = _NUMBER_DIGITS.sub("", raw or "")
    if len(digits) != 9:
        return ""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


class StatusLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Request number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "123-456-789"}),
    )
    customer_phone = PhoneField(label=_("The phone given in the request"))

    def clean_number(self) -> str:
        number = number_normalise(self.cleaned_data.get("number", ""))
        if not number:
            raise ValidationError(_("A request number has 9 digits, e.g. 123-456-789."))
        return number


class CustomerMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
