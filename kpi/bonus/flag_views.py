"""Abuse flags' pages (`/bonus/flags/`): the list HQ and regional managers follow (with
its CSV), a flag with the receipts that show it and its history, and the LP manager's
decision. Thin: a flag is fetched within sight (404), then the rule asked (403)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi.bonus.choices import FlagKind, FlagStatus
from kpi.bonus.flag_forms import CLEAR, DecisionForm
from kpi.bonus.flag_tables import (
    STATUS_BADGES,
    card_masked,
    evidence_table,
    flags_table,
    measure_kind,
    measure_label,
    period_label,
)
from kpi.bonus.selectors.flags import flag_events, flag_get_visible, flags_visible_to
from kpi.bonus.services.flags import flag_clear, flag_confirm
from portal.feedback import form_carried_out
from portal.org.selectors import region_get_visible, regions_visible_to

FLAGS_PER_PAGE = 50


def _choice(value: str, allowed) -> str:
    return value if value in allowed else ""


@login_required
def flag_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("bonus.open_flags"):
        raise PermissionDenied
    status = _choice(request.GET.get("status", ""), FlagStatus.values)
    kind = _choice(request.GET.get("kind", ""), FlagKind.values)
    code = request.GET.get("region", "")[:32]
    region = region_get_visible(user=user, code=code) if code else None
    flags = flags_visible_to(user=user, status=status, kind=kind, region=region)
    if request.GET.get("format") == "csv":
        return flags_table(flags.iterator(chunk_size=2000)).csv_response("abuse-flags.csv")
    page = Paginator(flags, FLAGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "table": flags_table(page.object_list),
        "status": status,
        "kind": kind,
        "region": region,
        "statuses": FlagStatus.choices,
        "kinds": FlagKind.choices,
        "regions": regions_visible_to(user=user).order_by("name"),
    }
    return render(request, "bonus/flags/list.html", context)


@login_required
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flag = flag_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("bonus.open_flags", flag):
        raise PermissionDenied
    return render(request, "bonus/flags/detail.html", _detail_context(request, flag))


def _detail_context(request: HttpRequest, flag, form: DecisionForm | None = None) -> dict:
    return {
        "flag": flag,
        "badge": STATUS_BADGES.get(flag.status, "text-bg-secondary"),
        "card": card_masked(flag.card_id),
        "period": period_label(flag),
        "measure_kind": measure_kind(flag),
        "measure_label": measure_label(flag),
        "evidence": evidence_table(flag),
        "events": flag_events(flag=flag),
        "may_decide": request.user.has_perm("bonus.decide_flag", flag),
        "form": form or DecisionForm(),
    }


@login_required
@require_POST
def flag_decide(request: HttpRequest, pk: int) -> HttpResponse:
    flag = flag_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("bonus.decide_flag", flag):
        raise PermissionDenied
    form = DecisionForm(request.POST)

    def decide(data: dict) -> None:
        service = flag_clear if data["decision"] == CLEAR else flag_confirm
        service(actor=request.user, flag=flag, note=data["note"])

    form_carried_out(request, form, decide, _("The decision is recorded."))
    return redirect("bonus:flag", pk=flag.pk)
