"""The desk's reports page (`incidents:reports`): volume, SLA, first contact, reopen rate,
CSAT and root causes for a period and the level the person follows — a store manager
their store, a regional manager their region, HQ and the desk's supervisors the network,
cut by region, store and category; the agents' figures for supervisors and HQ only. One
CSV per table (`?format=csv&table=<name>`) and an A4 PDF (`?format=pdf`)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.choices import Category
from incidents.report_tables import (
    TABLES,
    agents_table,
    categories_table,
    causes_table,
    key_figures,
    months_table,
    regions_table,
    report_charts,
    stores_table,
    summary_table,
    weeks_table,
)
from incidents.selectors.reports import ReportFilters, desk_report
from portal.org.scoping import ScopeLevel, scope_for
from portal.org.selectors import directory_regions, store_directory
from portal.pdf import pdf_response

THIS_MONTH, LAST_MONTH, QUARTER, CUSTOM = "this_month", "last_month", "quarter", "custom"
MAX_DAYS = 366
PAGE_STORES = 50  # the page and the PDF list the stores with most complaints; the CSV all


def _month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def preset_period(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """This month, last month or this quarter, as whole calendar months."""
    first = today.replace(day=1)
    if preset == LAST_MONTH:
        first = (first - dt.timedelta(days=1)).replace(day=1)
        return first, _month_end(first)
    if preset == QUARTER:
        first = first.replace(month=(today.month - 1) // 3 * 3 + 1)
        return first, _month_end(first.replace(month=first.month + 2))
    return first, _month_end(first)


class ReportForm(forms.Form):
    """The page's filters from its GET parameters; every bad value is an error on its own
    field, so the page says which one to fix. Region and store arrive resolved."""

    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=[
            (THIS_MONTH, gettext_lazy("This month")),
            (LAST_MONTH, gettext_lazy("Last month")),
            (QUARTER, gettext_lazy("This quarter")),
            (CUSTOM, gettext_lazy("Custom")),
        ],
        required=False,
    )
    start = forms.CharField(label=gettext_lazy("From"), required=False, max_length=10)
    end = forms.CharField(label=gettext_lazy("To"), required=False, max_length=10)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", gettext_lazy("All categories")), *Category.choices],
        required=False,
    )
    region = forms.CharField(label=gettext_lazy("Region"), required=False)
    store = forms.CharField(label=gettext_lazy("Store"), required=False)

    def __init__(self, data, *, today: dt.date, region, store) -> None:
        super().__init__(data)
        self.today, self.region, self.chosen_store = today, region, store
        self.chosen: tuple[dt.date, dt.date] | None = None

    def clean(self):
        data = super().clean()
        kind = data.get("period") or THIS_MONTH
        if kind == CUSTOM:
            start = self._day("start", _("Enter the first day of the period."))
            end = self._day("end", _("Enter the last day of the period."))
            if start and end and end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif start and end and (end - start).days >= MAX_DAYS:
                self.add_error("end", _("A custom period may be at most a year long."))
            elif start and end:
                self.chosen = (start, end)
        elif "period" not in self.errors:
            self.chosen = preset_period(kind, self.today)
        store, region = self.chosen_store, self.region
        if store is not None and region is not None and store.region_id != region.pk:
            self.add_error("store", _("This store is not in the chosen region."))
        return data

    def _day(self, name: str, missing: str) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if not value:
            self.add_error(name, missing)
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.add_error(name, _("Enter a date as 2026-10-01."))
            return None

    def error_text(self) -> str:
        return "\n".join(
            f"{self[name].label}: {' '.join(errors)}" for name, errors in self.errors.items()
        )


def _place(request: HttpRequest):
    """The region and store asked for, within the person's scope (404 outside it)."""
    user, region, store = request.user, None, None
    code = request.GET.get("region", "")[:32]
    if code:
        region = directory_regions(user=user).filter(code=code).first()
        if region is None:
            raise Http404(_("Unknown region."))
    code = request.GET.get("store", "")[:20]
    if code:
        store = store_directory(user=user).filter(code=code).first()
        if store is None:
            raise Http404(_("Unknown store."))
    return region, store


def _place_label(user, level: ScopeLevel, region, store) -> str:
    """What the figures cover: the store or region chosen, else the person's level."""
    if store is None and level is ScopeLevel.STORE:
        store = user.store
    if store is not None:
        return f"{store.code} {store.name}"
    if region is None and level is ScopeLevel.REGION:
        region = user.region
    return region.name if region is not None else _("whole network")


def _context(request: HttpRequest) -> dict:
    user = request.user
    region, store = _place(request)
    form = ReportForm(request.GET, today=timezone.localdate(), region=region, store=store)
    level = scope_for(user).level
    context = {
        "form": form,
        "region": region,
        "store": store,
        "place": _place_label(user, level, region, store),
        "network": level in (ScopeLevel.NETWORK, ScopeLevel.DIRECTORY),
        "printed_at": timezone.localtime(),
        "report": None,
    }
    if not form.is_valid():
        return context
    start, end = form.chosen
    category = form.cleaned_data.get("category") or ""
    report = desk_report(
        user=user,
        filters=ReportFilters(
            start=start,
            end=end,
            region_id=region.pk if region else None,
            store_id=store.pk if store else None,
            category=category,
        ),
    )
    return context | {
        "report": report,
        "category_label": Category(category).label if category else "",
        "start": start,
        "end": end,
        "period_label": f"{formats.date_format(start, 'd.m.Y')} – "
        f"{formats.date_format(end, 'd.m.Y')}",
        "show_regions": context["network"] and region is None and store is None,
        "show_stores": level is not ScopeLevel.STORE and store is None,
    }


def _choices(request: HttpRequest, region) -> dict:
    """The regions and stores the filters offer: the person's own (the hotline's
    supervisors: the directory, as they see every ticket); none when there is one."""
    regions = list(directory_regions(user=request.user))
    stores = store_directory(user=request.user).order_by("code")
    stores = list(stores.filter(region=region) if region else stores)
    return {"regions": regions if len(regions) > 1 else [], "stores": stores}


def _tables(context: dict) -> dict:
    """The tables the page and the PDF show (the stores with most complaints only)."""
    report = context["report"]
    by_month = (context["end"] - context["start"]).days > 92
    return {
        "figures": key_figures(report.total),
        "charts": report_charts(report, by_month=by_month),
        "by_month": by_month,
        "summary_table": summary_table(report),
        "categories_table": categories_table(report),
        "regions_table": regions_table(report),
        "stores_table": stores_table(report, report.stores[:PAGE_STORES]),
        "stores_more": max(len(report.stores) - PAGE_STORES, 0),
        "series_table": months_table(report) if by_month else weeks_table(report),
        "causes_table": causes_table(report),
        "agents_table": agents_table(report) if report.agents is not None else None,
    }


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("incidents.open_reports"):
        raise PermissionDenied
    context = _context(request)
    fmt = request.GET.get("format", "")
    report = context["report"]
    if fmt in ("csv", "pdf") and report is None:
        return HttpResponseBadRequest(
            _("Nothing was exported: the filters are wrong.")
            + "\n"
            + context["form"].error_text()
            + "\n",
            content_type="text/plain; charset=utf-8",
        )
    if fmt == "csv":
        return _csv(request.GET.get("table", ""), context)
    if report is not None:
        context |= _tables(context)
    if fmt == "pdf":
        return pdf_response(
            "pdf/incidents/reports.html",
            context,
            f"complaints-{context['start']}_{context['end']}.pdf",
        )
    return render(request, "incidents/reports.html", context | _choices(request, context["region"]))


def _csv(name: str, context: dict) -> HttpResponse:
    make = TABLES.get(name)
    if make is None:
        raise Http404(_("Unknown table."))
    report = context["report"]
    if name == "agents" and report.agents is None:
        raise PermissionDenied
    return make(report).csv_response(f"complaints-{name}-{context['start']}_{context['end']}.csv")
