"""Forms of the kpi app."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kpi.metrics import BY_CODE, RANKED, Kpi
from kpi.periods import (
    CUSTOM,
    MONTH,
    WEEK,
    Period,
    PeriodError,
    custom_period,
    month_named,
    week_named,
)

DEFAULT_KPI = "penetration"


def _kpi_choices() -> list[tuple[str, str]]:
    return [(kpi.code, kpi.label) for kpi in RANKED]


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


class BoardFilterForm(forms.Form):
    """What a KPI page shows, from its GET parameters: the KPI and the period (a week, a
    month or custom days). An empty week or month asks for the default period; every bad
    value is an error on its own field, so the page can say which one to fix."""

    kpi = forms.ChoiceField(label=_("KPI"), choices=_kpi_choices, required=False)
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[(WEEK, _("Week")), (MONTH, _("Month")), (CUSTOM, _("Custom"))],
        required=False,
    )
    week = forms.CharField(label=_("Week"), required=False)
    month = forms.CharField(label=_("Month"), required=False)
    start = forms.CharField(label=_("From"), required=False)
    end = forms.CharField(label=_("To"), required=False)

    chosen: Period | None = None  # the period asked for; None asks for the default one

    @classmethod
    def showing(cls, *, kpi: Kpi, period: Period) -> BoardFilterForm:
        """The form filled in with what the page shows."""
        return cls(board_query(kpi=kpi, period=period))

    @property
    def kind(self) -> str:
        return getattr(self, "cleaned_data", {}).get("period") or MONTH

    @property
    def chosen_kpi(self) -> Kpi:
        """The KPI asked for, or penetration when none (or a bad one) is."""
        return BY_CODE[getattr(self, "cleaned_data", {}).get("kpi") or DEFAULT_KPI]

    def clean(self):
        data = super().clean()
        kind = self.kind
        try:
            if kind == WEEK and data.get("week"):
                self.chosen = week_named(data["week"])
            elif kind == MONTH and data.get("month"):
                self.chosen = month_named(data["month"])
        except PeriodError as error:
            self.add_error(kind, str(error))
        if kind == CUSTOM:
            start = self._day("start", _("Enter the first day of the period."))
            end = self._day("end", _("Enter the last day of the period."))
            if start and end:
                try:
                    self.chosen = custom_period(start, end)
                except PeriodError as error:
                    self.add_error("end", str(error))
        return data

    def _day(self, name: str, missing: str) -> date | None:
        value = self.cleaned_data.get(name)
        if not value:
            self.add_error(name, missing)
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.add_error(name, _("Enter a date as 2026-10-01."))
            return None

    def error_text(self) -> str:
        """Every error, each after its field's label, for a response without the form."""
        return "\n".join(
            f"{self[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()
        )


def board_query(*, kpi: Kpi, period: Period, **extra: str) -> QueryDict:
    """The GET parameters that show this KPI over this period again (plus `extra`, such as
    the region), for links built with `{% querystring %}`."""
    query = QueryDict(mutable=True)
    query.update(period.query() | {"kpi": kpi.code} | extra)
    return query


class BatchDecisionReasonForm(forms.Form):
    """Why a batch is rejected or reverted (kept in its event row)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the batch's history; the uploader sees it."),
    )
