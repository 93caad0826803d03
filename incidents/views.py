"""The desk's lists and intake: the queue (keyset pages, filters, CSV), take next, the
supervisor's SLA board, the agent's intake form and the store's entry. Thin views: parse,
call one service or selector, render. The ticket page and its actions: `ticket_views.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.choices import Channel
from incidents.forms import FilterForm, IntakeForm, StoreIntakeForm
from incidents.selectors.desk import queues_all, queues_of, sla_board
from incidents.selectors.scripts import intake_scripts
from incidents.selectors.tickets import (
    Filters,
    customer_history,
    ticket_page,
    tickets_visible_to,
)
from incidents.services.clock import sla_state
from incidents.services.intake import (
    Intake,
    card_normalise,
    duplicates_of,
    phone_normalise,
    ticket_file,
)
from incidents.services.privacy import personal_data_seen, show_phone
from incidents.services.workflow import take_next
from incidents.tables import TICKETS_CSV, ticket_csv_rows
from portal.exports import csv_response
from portal.feedback import say_problems

CSV_LIMIT = 50_000


def _filters(request: HttpRequest, form: FilterForm) -> tuple[Filters, str]:
    data = form.cleaned_data if form.is_valid() else {}
    view = data.get("view") or ("mine" if request.user.has_perm("incidents.take_next") else "all")
    store = data.get("store")
    filters = Filters(
        queue=data.get("queue"),
        status=data.get("status") or "",
        category=data.get("category") or "",
        priority=data.get("priority") or "",
        assignee=request.user.pk if view == "mine" else None,
        store=store.pk if store else None,
        breached=bool(data.get("breached")),
        text=data.get("q") or "",
    )
    return filters, view


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The tickets a person sees: the desk's «mine» and queues, a store's or region's
    complaints (the store side's «Мои обращения»), HQ's all; in keyset pages."""
    if not request.user.has_perm("incidents.open_tickets"):
        raise PermissionDenied
    form = FilterForm(request.GET)
    filters, view = _filters(request, form)
    if form.is_bound and not form.is_valid():
        say_problems(request, form)
    tickets = tickets_visible_to(user=request.user)
    if request.GET.get("format") == "csv":
        rows = ticket_page(tickets, filters=filters, size=CSV_LIMIT).rows
        return csv_response("tickets.csv", TICKETS_CSV(), ticket_csv_rows(rows))
    page = ticket_page(
        tickets,
        filters=filters,
        after=form.cleaned_data.get("after", "") if form.is_valid() else "",
    )
    now = timezone.now()
    works = request.user.has_perm("incidents.take_next")
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "incidents/desk.html",
        {
            "form": form,
            "view": view,
            "rows": [(ticket, sla_state(ticket, now=now)) for ticket in page.rows],
            "next_after": page.next_after,
            "query": query.urlencode(),
            "queues": queues_of(request.user) if works else queues_all(),
            "works": works,
            "may_file": request.user.has_perm("incidents.file_ticket"),
            "may_file_in_store": request.user.has_perm("incidents.file_in_store"),
            "may_board": request.user.has_perm("incidents.open_board"),
        },
    )


@login_required
@require_POST
def take_next_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("incidents.take_next"):
        raise PermissionDenied
    ticket = take_next(request.user)
    if ticket is None:
        messages.info(request, _("Nothing waits in your queues."))
        return redirect("incidents:desk")
    messages.success(request, _("Ticket № %(number)s is yours.") % {"number": ticket.number})
    return redirect(ticket)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The supervisor's SLA board: queues' load, what is overdue, what is due next."""
    if not request.user.has_perm("incidents.open_board"):
        raise PermissionDenied
    now = timezone.now()
    data = sla_board(now=now)
    return render(
        request,
        "incidents/board.html",
        {
            "board": data,
            "breached": [(t, sla_state(t, now=now)) for t in data.breached],
            "at_risk": [(t, sla_state(t, now=now)) for t in data.at_risk],
            "now": now,
        },
    )


def _customer_lookup(request: HttpRequest, raw: str) -> dict:
    """The customer's earlier tickets by phone or card (the search box above the form)."""
    raw = (raw or "").strip()[:32]
    if not raw:
        return {}
    digits = "".join(ch for ch in raw if ch.isdigit())
    phone = card = ""
    try:
        phone = phone_normalise(raw) if raw.startswith("+") or len(digits) in (10, 11) else ""
    except ValueError:
        phone = ""
    if not phone:
        try:
            card = card_normalise(digits)
        except ValueError:
            card = ""
    if not phone and not card:
        return {"lookup_error": _("Type a phone number (+7 …) or a card number.")}
    history = customer_history(phone=phone, card=card)
    personal_data_seen(history, person=request.user, context="intake_search")
    return {
        "history": history,
        "found_phone": phone,
        "found_card": card,
        "shown_phone": show_phone(phone) if phone else "",
    }


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """The agent's form, keyboard first: the customer found by phone or card with their
    earlier tickets, a duplicate warning, then the ticket filed and opened with its script."""
    if not request.user.has_perm("incidents.file_ticket"):
        raise PermissionDenied
    lookup = _customer_lookup(request, request.GET.get("q", ""))
    duplicates = []
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                phone = phone_normalise(data["customer_phone"])
                card = card_normalise(data["card_number"])
            except ValueError:
                phone = card = ""
            duplicates = duplicates_of(phone=phone, card=card, category=data["category"])
            if duplicates and not data["confirm_duplicate"]:
                messages.warning(
                    request,
                    _("The same customer filed this category recently: check the tickets below."),
                )
            else:
                try:
                    ticket = ticket_file(
                        Intake(
                            channel=Channel.PHONE,
                            category=data["category"],
                            priority=data["priority"],
                            description=data["description"],
                            customer_name=data["customer_name"],
                            customer_phone=data["customer_phone"],
                            customer_email=data["customer_email"],
                            card_number=data["card_number"],
                            store=data["store"],
                            receipt_number=data["receipt_number"],
                            receipt_at=data["receipt_at"],
                            receipt_amount=data["receipt_amount"],
                            details=form.details(),
                        ),
                        actor=request.user,
                        keep=True,  # the operator who took the call keeps it
                    )
                except ValidationError as error:
                    for field, problems in error.message_dict.items():
                        for problem in problems:
                            form.add_error(field if field in form.fields else None, problem)
                else:
                    messages.success(
                        request, _("Ticket № %(number)s filed.") % {"number": ticket.number}
                    )
                    return redirect(ticket)
    else:
        initial = {}
        if lookup.get("found_phone"):
            initial["customer_phone"] = lookup["shown_phone"]
            if lookup.get("history"):
                initial["customer_name"] = lookup["history"][0].customer_name
                initial["card_number"] = lookup["history"][0].card_number
                initial["customer_email"] = lookup["history"][0].customer_email
        elif lookup.get("found_card"):
            initial["card_number"] = lookup["found_card"]
        form = IntakeForm(initial=initial)
    return render(
        request,
        "incidents/intake.html",
        {"form": form, "duplicates": duplicates, "scripts": intake_scripts(), **lookup},
    )


@login_required
def store_intake(request: HttpRequest) -> HttpResponse:
    """A store manager logs a complaint made in the store: their own store, channel «store»."""
    if not request.user.has_perm("incidents.file_in_store") or request.user.store_id is None:
        raise PermissionDenied
    form = StoreIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = ticket_file(
                Intake(channel=Channel.STORE, store=request.user.store, **data), actor=request.user
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Complaint № %(number)s logged; the hotline takes it from here.")
                % {"number": ticket.number},
            )
            return redirect(ticket)
    return render(request, "incidents/store_intake.html", {"form": form})


@login_required
def promotions(request: HttpRequest) -> HttpResponse:
    """The «Акции» section (a Wagtail page): the navigation's link, whatever its address."""
    from incidents.models import PromotionIndexPage

    index = PromotionIndexPage.objects.live().first()
    if index is None:
        messages.info(request, _("The promotions section has not been published yet."))
        return redirect("/")
    return redirect(index.url)
