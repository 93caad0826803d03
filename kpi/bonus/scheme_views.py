"""The schemes' pages (`/bonus/schemes/`): the list, a scheme as people read it, HQ's
form, the archive, the simulation of any past period (nothing written) and HQ's close
of a past period at once. Thin: reads from `kpi.bonus.selectors`, writes through
`kpi.bonus.services`; fetched within sight first (404), then the rule asked (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kpi.bonus import clock
from kpi.bonus.choices import SchemeStatus
from kpi.bonus.forms import SchemeForm, SchemePeriodForm
from kpi.bonus.models import Scheme
from kpi.bonus.scheme_display import (
    event_changes,
    scheme_rules,
    scheme_settings,
    scope_label,
    simulation_table,
)
from kpi.bonus.selectors.schemes import (
    period_statements,
    scheme_events,
    scheme_simulation,
    scheme_statements,
    scheme_status_event,
    schemes_listed,
)
from kpi.bonus.selectors.statements import scheme_get_visible
from kpi.bonus.services.close import period_close
from kpi.bonus.services.schemes import scheme_archive, scheme_create, scheme_update
from kpi.bonus.services.statements import StatementRefused
from portal.feedback import say_problems


def _scheme(request: HttpRequest, pk: int, perm: str) -> Scheme:
    """The scheme within the person's sight (404 outside it) that they may `perm` (403)."""
    scheme = scheme_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm(perm, scheme):
        raise PermissionDenied
    return scheme


def _detail(scheme: Scheme) -> HttpResponse:
    return redirect("bonus:scheme", pk=scheme.pk)


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("bonus.open_schemes"):
        raise PermissionDenied
    context = {
        "schemes": schemes_listed(user=user),
        "may_manage": user.has_perm("bonus.manage_schemes"),
    }
    return render(request, "bonus/schemes/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("bonus.manage_schemes"):
        raise PermissionDenied
    form = SchemeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            scheme = scheme_create(
                actor=request.user, regions=form.cleaned_data["regions"], **form.scheme_fields()
            )
            messages.success(request, _("The scheme «%(name)s» is set up.") % {"name": scheme.name})
            return _detail(scheme)
        say_problems(request, form)
    return render(request, "bonus/schemes/form.html", {"form": form, "scheme": None})


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk, "bonus.manage_schemes")
    if scheme.status == SchemeStatus.ARCHIVED:
        messages.error(request, _("An archived scheme is not changed."))
        return _detail(scheme)
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST":
        if form.is_valid():
            scheme_update(
                actor=request.user,
                scheme=scheme,
                regions=form.cleaned_data["regions"],
                **form.scheme_fields(),
            )
            messages.success(
                request,
                _("The scheme is changed. Closed periods keep what they were computed with."),
            )
            return _detail(scheme)
        say_problems(request, form)
    return render(request, "bonus/schemes/form.html", {"form": form, "scheme": scheme})


@login_required
@require_POST
def scheme_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme(request, pk, "bonus.manage_schemes")
    scheme_archive(actor=request.user, scheme=scheme)
    messages.success(request, _("The scheme is archived: no period of it is closed any more."))
    return _detail(scheme)


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    scheme = _scheme(request, pk, "bonus.open_schemes")
    events = scheme_events(scheme)
    changes = event_changes(events)
    statements = list(scheme_statements(user=user, scheme=scheme))
    regions = list(scheme.regions.order_by("code"))
    active = scheme.status != SchemeStatus.ARCHIVED
    may_close = active and user.has_perm("bonus.close_period", scheme)
    closed = {s.starts_on for s in statements}
    context = {
        "scheme": scheme,
        "settings": scheme_settings(scheme, regions),
        "rules": scheme_rules(scheme),
        "status_event": scheme_status_event(scheme, events),
        "statements": statements,
        "history": [(event, changes.get(event.pk, [])) for event in events],
        "may_simulate": user.has_perm("bonus.simulate", scheme),
        "may_effect": user.has_perm("bonus.open_effect", scheme),
        "may_manage": active and user.has_perm("bonus.manage_schemes", scheme),
        "may_close": may_close,
    }
    if may_close:
        options = SchemePeriodForm(scheme=scheme, today=clock.today()).options()
        context["close_options"] = [
            (period, period.start in closed) for period in options if period.end >= scheme.starts_on
        ]
    return render(request, "bonus/schemes/detail.html", context)


@login_required
def scheme_simulate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    scheme = _scheme(request, pk, "bonus.simulate")
    today = clock.today()
    options = SchemePeriodForm(scheme=scheme, today=today).options()
    # No period asked for: the latest that has ended.
    data = request.GET if "period" in request.GET else {"period": options[0].slug}
    form = SchemePeriodForm(data, scheme=scheme, today=today)
    context = {"scheme": scheme, "form": form, "options": options, "simulated": []}
    if form.is_valid():
        period = form.chosen
        simulated = scheme_simulation(user=user, scheme=scheme, period=period)
        context |= {
            "period": period,
            "simulated": [
                {
                    "statement": s,
                    "label": scope_label(s.region),
                    "table": simulation_table(scheme, s.stores, testid=f"simulation-{i}"),
                }
                for i, s in enumerate(simulated, 1)
            ],
            "closed": period_statements(user=user, scheme=scheme, period=period),
        }
    return render(request, "bonus/schemes/simulate.html", context)


@login_required
@require_POST
def scheme_close(request: HttpRequest, pk: int) -> HttpResponse:
    """HQ closes a past period at once: its statements are drafted and opened for
    disputes with this person as their preparer (so someone else approves them)."""
    scheme = _scheme(request, pk, "bonus.close_period")
    if scheme.status == SchemeStatus.ARCHIVED:
        messages.error(request, _("An archived scheme's periods are not closed."))
        return _detail(scheme)
    form = SchemePeriodForm(request.POST, scheme=scheme, today=clock.today())
    if not form.is_valid():
        for error in form.errors.get("period", []):
            messages.error(request, f"{form['period'].label}: {error}")
        return _detail(scheme)
    period = form.chosen
    if period.end < scheme.starts_on:
        messages.error(
            request,
            _("The scheme was not in force in %(period)s: it starts on %(day)s.")
            % {"period": period.label, "day": scheme.starts_on.strftime("%d.%m.%Y")},
        )
        return _detail(scheme)
    try:
        statements = period_close(actor=request.user, scheme=scheme, period=period)
    except StatementRefused as refused:
        messages.error(request, str(refused))
        return _detail(scheme)
    prepared = [s for s in statements if s.prepared_by_id == request.user.pk]
    if not prepared:
        messages.info(
            request,
            _("%(period)s was closed already: its statements are as they were.")
            % {"period": period.label},
        )
        return _detail(scheme)
    messages.success(
        request,
        _(
            "%(period)s is closed: %(n)s statement(s) open for disputes. You prepared them, "
            "so another person approves them."
        )
        % {"period": period.label, "n": len(prepared)},
    )
    return _detail(scheme)
