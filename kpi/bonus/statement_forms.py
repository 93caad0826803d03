"""Forms of the statement pages: the list's filters, a store manager's dispute of a line,
the decision of a dispute and HQ's correction of a locked line. The services check the
rest (who, when, which state) and say why they refuse."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kpi.bonus.choices import StatementStatus
from kpi.bonus.models import Scheme
from portal.org.models import Region

ACCEPT, REJECT = "accept", "reject"
NO_EXCLUSION, EXCLUDE_PERSON, EXCLUDE_STORE = "", "person", "store"


class StatementFilterForm(forms.Form):
    """The list's filters from its GET parameters, limited to the schemes and regions of
    the statements the person sees; a value outside them is an error on its field."""

    scheme = forms.ModelChoiceField(
        label=_("Scheme"), queryset=Scheme.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *StatementStatus.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("All"),
    )

    def __init__(self, *args, schemes: QuerySet[Scheme], regions: QuerySet[Region], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["region"].queryset = regions

    def narrow(self, statements):
        """The statements that pass the chosen filters (all of them while a filter is
        wrong: the page names the field)."""
        if not self.is_valid():
            return statements
        data = self.cleaned_data
        if data["scheme"]:
            statements = statements.filter(scheme=data["scheme"])
        if data["status"]:
            statements = statements.filter(status=data["status"])
        if data["region"]:
            statements = statements.filter(region=data["region"])
        return statements


class DisputeForm(forms.Form):
    comment = forms.CharField(
        label=_("What is wrong with this line?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what is wrong with the line.")},
    )


class DecisionForm(forms.Form):
    """Accept (optionally excluding the person or the whole store) or reject; the reason
    is required either way."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (REJECT, _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to accept or to reject.")},
    )
    exclude = forms.ChoiceField(
        label=_("On acceptance, exclude"),
        choices=[
            (NO_EXCLUSION, _("Nobody: restate as it stands")),
            (EXCLUDE_PERSON, _("The person")),
            (EXCLUDE_STORE, _("The whole store")),
        ],
        required=False,
    )
    decision = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason of the decision.")},
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        accept = data["outcome"] == ACCEPT
        return {
            "accept": accept,
            "decision": data["decision"],
            "exclude": data["exclude"] if accept else NO_EXCLUSION,
        }


class AdjustForm(forms.Form):
    """A correction of a locked line, carried into the scheme's next period: signed (a
    positive amount pays the person more)."""

    amount = forms.DecimalField(
        label=_("Correction, ₽ (negative takes back)"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason of the correction.")},
    )

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if not amount:
            raise forms.ValidationError(_("A correction is not zero."))
        return amount
