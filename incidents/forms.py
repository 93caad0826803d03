"""Forms of the desk (the agent's intake, the store's entry, the ticket's actions). The
public form lives in `public_forms.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.choices import (
    CATEGORY_FIELDS,
    Category,
    Priority,
    ResolutionCode,
    RootCause,
    Status,
)
from portal.org.models import Store

LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL, **kwargs)


class Bootstrap:
    """Bootstrap's classes on every widget (the desk's templates render fields one by one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput, forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class StoreCodeField(forms.CharField):
    """A store by its code (the directory: any active store)."""

    def clean(self, value):
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        store = Store.objects.filter(code__iexact=code).select_related("region").first()
        if store is None:
            raise forms.ValidationError(_("No store has the code «%(code)s».") % {"code": code})
        return store


class IntakeForm(Bootstrap, forms.Form):
    """The agent's form, in the order of the call: who, where, what, the receipt."""

    customer_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    card_number = forms.CharField(label=_("Card number"), max_length=32, required=False)
    customer_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    customer_email = forms.EmailField(label=_("E-mail"), required=False)
    store = StoreCodeField(label=_("Store code"), max_length=20, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, widget=forms.RadioSelect
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=64, required=False)
    receipt_at = forms.DateTimeField(
        label=_("Purchase time"), required=False, widget=LocalDateTimeInput(), input_formats=[LOCAL]
    )
    receipt_amount = forms.DecimalField(
        label=_("Receipt amount, ₽"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    description = forms.CharField(
        label=_("What the customer says"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    confirm_duplicate = forms.BooleanField(
        label=_("File it anyway (not the same request)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category, fields in CATEGORY_FIELDS.items():
            for key, label, options in fields:
                name = detail_name(category, key)
                if options:
                    field = forms.ChoiceField(
                        label=label, choices=[("", "—"), *options], required=False
                    )
                    field.widget.attrs["class"] = "form-select"
                else:
                    field = forms.CharField(label=label, required=False, max_length=200)
                    field.widget.attrs["class"] = "form-control"
                self.fields[name] = field

    def category_fields(self) -> list[tuple[str, list]]:
        """(category, its bound fields) for the template: shown when that category is picked."""
        return [
            (category, [self[detail_name(category, key)] for key, _label, _opts in fields])
            for category, fields in CATEGORY_FIELDS.items()
            if fields
        ]

    def details(self) -> dict[str, str]:
        """The picked category's answers (the others' fields are ignored)."""
        category = self.cleaned_data.get("category", "")
        values = {}
        for key, _label, _options in CATEGORY_FIELDS.get(category, []):
            value = (self.cleaned_data.get(detail_name(category, key)) or "").strip()
            if value:
                values[key] = value
        return values


def detail_name(category: str, key: str) -> str:
    return f"detail_{category}_{key}"


class StoreIntakeForm(Bootstrap, forms.Form):
    """A store manager logs a complaint made in the store (their store, channel «store»)."""

    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(
        label=_("What the customer said and what was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    customer_name = forms.CharField(label=_("Customer's name"), max_length=200, required=False)
    customer_phone = forms.CharField(
        label=_("Customer's phone (with their consent)"), max_length=32, required=False
    )
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=64, required=False)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )


class ReplyForm(Bootstrap, forms.Form):
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    kind = forms.ChoiceField(
        choices=[("reply", _("Reply to the customer")), ("note", _("Internal note"))],
        initial="reply",
        widget=forms.RadioSelect,
    )
    wait_for_customer = forms.BooleanField(
        label=_("Wait for the customer's answer (pauses the SLA clock)"), required=False
    )
    canned = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ResolveForm(Bootstrap, forms.Form):
    code = forms.ChoiceField(label=_("Resolution"), choices=ResolutionCode.choices)
    root_cause = forms.ChoiceField(label=_("Root cause"), choices=RootCause.choices)
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=10_000,
    )


class AssignForm(Bootstrap, forms.Form):
    assignee = forms.ModelChoiceField(label=_("Operator"), queryset=None)

    def __init__(self, *args, desk_people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_people


class DetailsForm(Bootstrap, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    store = StoreCodeField(label=_("Store code"), max_length=20, required=False)
    employee = forms.CharField(
        label=_("Employee concerned (personnel number)"), max_length=20, required=False
    )
    root_cause = forms.ChoiceField(
        label=_("Root cause"), choices=[("", "—"), *RootCause.choices], required=False
    )


class MergeForm(Bootstrap, forms.Form):
    into = forms.CharField(label=_("Merge into ticket №"), max_length=11)


class ReopenForm(Bootstrap, forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class ReceiptForm(Bootstrap, forms.Form):
    """The guided lookup of «points not credited»: the store and the receipt number, or the
    purchase time and amount."""

    store = StoreCodeField(label=_("Store code"), max_length=20)
    number = forms.CharField(label=_("Receipt number"), max_length=64, required=False)
    at = forms.DateTimeField(
        label=_("Purchase time"), required=False, widget=LocalDateTimeInput(), input_formats=[LOCAL]
    )
    amount = forms.DecimalField(
        label=_("Amount, ₽"), required=False, max_digits=12, decimal_places=2, min_value=0
    )

    def clean(self):
        data = super().clean()
        if not data.get("number") and (data.get("at") is None or data.get("amount") is None):
            raise forms.ValidationError(
                _("Give the receipt number, or the purchase time and amount.")
            )
        return data


class CreditForm(Bootstrap, forms.Form):
    points = forms.DecimalField(label=_("Points"), max_digits=10, decimal_places=2, min_value=1)
    reason = forms.CharField(
        label=_("Why they are due"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CreditDecisionForm(Bootstrap, forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda value: value == "1"
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000)


class AttachForm(Bootstrap, forms.Form):
    file = forms.FileField(label=_("File (photo or PDF)"))


class FilterForm(forms.Form):
    """The desk list's filters (GET)."""

    view = forms.ChoiceField(
        choices=[("mine", _("Mine")), ("queue", _("Queues")), ("all", _("All"))],
        required=False,
    )
    queue = forms.IntegerField(required=False, min_value=1)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Open tickets")), ("all", _("Any status")), *Status.choices],
        required=False,
    )
    category = forms.ChoiceField(
        choices=[("", _("Any category")), *Category.choices], required=False
    )
    priority = forms.ChoiceField(
        choices=[("", _("Any priority")), *Priority.choices], required=False
    )
    store = StoreCodeField(required=False, max_length=20)
    breached = forms.BooleanField(required=False)
    q = forms.CharField(required=False, max_length=32)
    after = forms.CharField(required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "category", "priority"):
            self.fields[name].widget.attrs.update(
                {
                    "class": "form-select form-select-sm",
                    "aria-label": str(self.fields[name].label or name),
                }
            )
