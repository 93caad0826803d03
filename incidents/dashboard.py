"""The desk's dashboard panels: the operator's open tickets and what is overdue (the
supervisor also the credits waiting for them); for those who follow stores, the open
complaints of their level. Counts are capped (an index range each), a handful of queries."""

from __future__ import annotations

from django.utils import timezone

from incidents.choices import OPEN_STATUSES, CreditStatus
from incidents.models import CreditRequest, Ticket
from incidents.selectors.desk import CAP, capped
from incidents.selectors.tickets import tickets_visible_to


def desk_panel(user) -> dict:
    now = timezone.now()
    mine = Ticket.objects.filter(assignee=user, status__in=OPEN_STATUSES)
    context = {
        "mine": capped(mine),
        "mine_overdue": capped(mine.filter(sla_due__lt=now)),
        "next": mine.exclude(sla_due=None).order_by("sla_due", "pk").first(),
        "cap": CAP,
        "credits": None,
        "overdue": None,
    }
    if user.has_perm("incidents.open_board"):
        context["credits"] = (
            CreditRequest.objects.filter(status=CreditStatus.PENDING)
            .exclude(requested_by=user)
            .count()
        )
        context["overdue"] = capped(
            Ticket.objects.filter(status__in=OPEN_STATUSES, sla_due__lt=now)
        )
    return context


def follows_panel(user) -> dict:
    visible = tickets_visible_to(user=user)
    open_tickets = visible.filter(status__in=OPEN_STATUSES)
    return {
        "open": capped(open_tickets),
        "overdue": capped(open_tickets.filter(breached=True)),
        "latest": list(visible.select_related("store").order_by("-created_at", "-pk")[:3]),
        "cap": CAP,
    }
