"""Forms of the bonus schemes' pages: the scheme as HQ sets it up, the period a
simulation or a close asks for, and HR's terms file. Rendered whole by crispy-forms
(Bootstrap 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpi.bonus.choices import SCORECARD, Mode, Payees, PeriodKind
from kpi.bonus.models import Scheme
from kpi.metrics import RANKED
from kpi.periods import Period, PeriodError, month_named, month_of, week_named, week_of
from portal.imports.limits import size_message, upload_max_bytes
from portal.org.models import Region

KOPECK = Decimal("0.01")
TENTH = Decimal("0.1")
MONEY_FIELDS = ("award", "deduction", "deduction_cap", "budget_cap")
PENETRATION = "penetration"
# How far back a simulation or a close may reach.
MONTHS_BACK = 24


def metric_choices() -> list[tuple[str, str]]:
    """Every ranked KPI, then the composite store scorecard."""
    return [(kpi.code, kpi.label) for kpi in RANKED] + [
        (SCORECARD, gettext_lazy("Store scorecard (composite)"))
    ]


def _money_widget() -> forms.NumberInput:
    return forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"})


class SchemeForm(forms.ModelForm):
    """Every setting of a scheme, with the rules across fields, each said on the field it
    concerns. Amounts are Decimal roubles, at most two decimals, never negative; a
    zero-sum ranking pays no fixed award and has no budget (both are cleared)."""

    metric = forms.ChoiceField(
        label=gettext_lazy("Metric"),
        choices=metric_choices,
        help_text=gettext_lazy("A ranked KPI, or the store scorecard."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: the whole network."),
    )

    class Meta:
        model = Scheme
        fields = [
            "name",
            "metric",
            "period",
            "scope",
            "regions",
            "payees",
            "mode",
            "split",
            "top_n",
            "bottom_n",
            "award",
            "deduction",
            "deduction_cap",
            "budget_cap",
            "min_coverage",
            "exclude_audit_failures",
            "suspend_after",
            "resume_after",
            "dispute_days",
            "accrual_code",
            "deduction_code",
            "starts_on",
        ]
        widgets = {
            "award": _money_widget(),
            "deduction": _money_widget(),
            "deduction_cap": _money_widget(),
            "budget_cap": _money_widget(),
            "min_coverage": forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100"}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "top_n": gettext_lazy("Zero-sum: how many best stores share the pool."),
            "bottom_n": gettext_lazy("Zero-sum: how many worst stores' people pay into it."),
            "award": gettext_lazy("Plan threshold only: a zero-sum ranking pays out the pool."),
            "deduction": gettext_lazy(
                "Taken from the variable bonus, never beyond it: a deduction above a "
                "person's cap takes the cap."
            ),
            "budget_cap": gettext_lazy(
                "Plan threshold only: awards are scaled down to fit it. Empty: no budget."
            ),
            "min_coverage": gettext_lazy("Empty: coverage does not decide eligibility."),
            "suspend_after": gettext_lazy("Empty: the scheme never suspends itself."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = Region.objects.filter(is_active=True).order_by("code")
        for name in MONEY_FIELDS:
            self.fields[name].validators.append(_not_negative)
        self.fields["starts_on"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def clean(self):
        data = super().clean()
        for name in MONEY_FIELDS:
            if data.get(name) is not None:
                data[name] = data[name].quantize(KOPECK)
        if data.get("min_coverage") is not None:
            data["min_coverage"] = data["min_coverage"].quantize(TENTH)
        mode, metric = data.get("mode"), data.get("metric")
        award, deduction = data.get("award"), data.get("deduction")
        if mode == Mode.THRESHOLD:
            if metric == SCORECARD:
                self.add_error(
                    "metric",
                    _(
                        "A plan threshold compares each store with its plan: the store "
                        "scorecard has no plan. Choose a KPI."
                    ),
                )
            if award is not None and deduction is not None and not (award or deduction):
                self.add_error(
                    "award", _("A plan threshold needs an award, a deduction or both above zero.")
                )
        elif mode == Mode.ZERO_SUM:
            if deduction is not None and deduction <= 0:
                self.add_error(
                    "deduction",
                    _(
                        "A zero-sum ranking shares what the bottom stores' people give up: "
                        "set a deduction above zero."
                    ),
                )
            data["award"] = Decimal("0.00")
            data["budget_cap"] = None
        if data.get("payees") == Payees.CASHIERS and metric and metric != PENETRATION:
            self.add_error(
                "payees",
                _(
                    "Cashiers are paid by their own identified share of receipts: the "
                    "metric must be LP penetration."
                ),
            )
        return data

    def scheme_fields(self) -> dict:
        """The cleaned fields for `scheme_create` / `scheme_update` (regions apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "regions"}


def _not_negative(value: Decimal | None) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError(_("An amount cannot be negative."))


def past_periods(kind: str, *, today: dt.date) -> list[Period]:
    """The periods of `kind` that have ended, newest first, back to `MONTHS_BACK` months."""
    of = week_of if kind == PeriodKind.WEEK else month_of
    earliest = _months_before(today, MONTHS_BACK)
    period, found = of(today).previous(), []
    while period.start >= earliest:
        found.append(period)
        period = period.previous()
    return found


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


class SchemePeriodForm(forms.Form):
    """A past period of the scheme's kind (`?period=2026-10` or `2026-W42`): ended, and
    at most `MONTHS_BACK` months back. `chosen` is the period asked for."""

    period = forms.CharField(label=gettext_lazy("Period"), max_length=10)

    def __init__(self, *args, scheme: Scheme, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme, self.today = scheme, today
        self.chosen: Period | None = None

    def options(self) -> list[Period]:
        return past_periods(self.scheme.period, today=self.today)

    def clean_period(self) -> Period:
        value = self.cleaned_data["period"].strip()
        named = week_named if self.scheme.period == PeriodKind.WEEK else month_named
        try:
            period = named(value)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error
        if period.end >= self.today:
            raise forms.ValidationError(
                _("%(period)s has not ended yet: choose a past period.") % {"period": period.label}
            )
        if period.start < _months_before(self.today, MONTHS_BACK):
            raise forms.ValidationError(
                _("Choose a period of the last %(n)s months.") % {"n": MONTHS_BACK}
            )
        self.chosen = period
        return period


class TermsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HR file (CSV or Excel)"),
        help_text=gettext_lazy(
            "Columns: personnel number; FTE; variable bonus. CSV in UTF-8 or Windows-1251, "
            "separated by ; or , (or an Excel workbook, its first sheet). The file is applied "
            "only if every row is valid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_max_bytes():
            raise forms.ValidationError(size_message(upload_max_bytes()))
        return upload
