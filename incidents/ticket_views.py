"""A ticket's page (everything the agent needs on one screen: the customer, the SLA
clock, the script of its category, canned replies, the receipt, the conversation, the
history) and its actions. Each fetches within sight (404) and asks the rule (403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents.choices import Category, ReceiptFinding
from incidents.forms import (
    AssignForm,
    AttachForm,
    CreditDecisionForm,
    CreditForm,
    DetailsForm,
    MergeForm,
    ReceiptForm,
    ReopenForm,
    ReplyForm,
    ResolveForm,
)
from incidents.models import CannedReply, CreditRequest, Ticket
from incidents.selectors.desk import (
    canned_fill,
    canned_for,
    desk_people,
    details_shown,
    employee_by_number,
    script_of,
)
from incidents.selectors.promotions import promotions_current
from incidents.selectors.tickets import customer_history, ticket_get_visible, ticket_timeline
from incidents.services import guided, workflow
from incidents.services.attachments import attachment_add
from incidents.services.clock import sla_state
from incidents.services.guided import NEXT_STEP
from incidents.services.privacy import (
    mask_card,
    mask_email,
    mask_name,
    mask_phone,
    personal_data_seen,
    show_phone,
)
from portal.feedback import carried_out, form_carried_out, say_problems


def _permitted(request: HttpRequest, pk: int, perm: str) -> Ticket:
    ticket = ticket_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm(perm, ticket):
        raise PermissionDenied
    return ticket


def _customer(ticket: Ticket, *, clear: bool) -> dict[str, str]:
    if clear:
        return {
            "name": ticket.customer_name,
            "phone": show_phone(ticket.customer_phone),
            "email": ticket.customer_email,
            "card": ticket.card_number,
        }
    return {
        "name": mask_name(ticket.customer_name),
        "phone": mask_phone(ticket.customer_phone),
        "email": mask_email(ticket.customer_email),
        "card": mask_card(ticket.card_number),
    }


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_get_visible(user=request.user, pk=pk)
    user = request.user
    clear = user.has_perm("incidents.see_customer", ticket)
    if clear:
        personal_data_seen([ticket], person=user, context="ticket")
    works = user.has_perm("incidents.work_ticket", ticket)
    supervises = user.has_perm("incidents.assign_ticket", ticket)
    history = (
        customer_history(phone=ticket.customer_phone, card=ticket.card_number, exclude=ticket.pk)
        if clear
        else []
    )
    credits = list(ticket.credits.select_related("requested_by", "decided_by"))
    initial_store = ticket.store.code if ticket.store_id else ""
    context = {
        "ticket": ticket,
        "customer": _customer(ticket, clear=clear),
        "clear": clear,
        "state": sla_state(ticket, now=timezone.now()),
        "script": script_of(ticket),
        "canned": [
            (reply, canned_fill(reply, ticket=ticket, agent=user))
            for reply in canned_for(category=ticket.category)
        ]
        if works
        else [],
        "details": details_shown(ticket),
        "conversation": list(ticket.messages.select_related("author")),
        "attachments": list(ticket.attachments.all()),
        "timeline": ticket_timeline(ticket),
        "credits": [
            (credit, user.has_perm("incidents.decide_credit", credit)) for credit in credits
        ],
        "history": history,
        "works": works,
        "may_note": user.has_perm("incidents.note_ticket", ticket),
        "may_reopen": user.has_perm("incidents.reopen_ticket", ticket),
        "supervises": supervises,
        "guided": ticket.category == Category.BONUS_NOT_CREDITED,
        "next_step": NEXT_STEP.get(ticket.receipt_finding, ""),
        "may_request_credit": works
        and ticket.receipt_finding == ReceiptFinding.NOT_IDENTIFIED
        and not any(credit.status == "pending" for credit in credits),
        "promotions": promotions_current(today=timezone.localdate())
        if ticket.category == Category.PROMOTIONS
        else [],
        "reply_form": ReplyForm(),
        "resolve_form": ResolveForm(),
        "receipt_form": ReceiptForm(
            initial={
                "store": initial_store,
                "number": ticket.receipt_number,
                "at": timezone.localtime(ticket.receipt_at) if ticket.receipt_at else None,
                "amount": ticket.receipt_amount,
            }
        ),
        "credit_form": CreditForm(),
        "assign_form": AssignForm(
            desk_people=desk_people(), initial={"assignee": ticket.assignee_id}
        )
        if supervises
        else None,
        "details_form": DetailsForm(
            initial={
                "category": ticket.category,
                "priority": ticket.priority,
                "store": initial_store,
                "employee": ticket.employee.personnel_number if ticket.employee_id else "",
                "root_cause": ticket.root_cause,
            }
        ),
        "merge_form": MergeForm(),
        "reopen_form": ReopenForm(),
        "attach_form": AttachForm(),
    }
    return render(request, "incidents/ticket.html", context)


def _done(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    return redirect(ticket)


@login_required
@require_POST
def ticket_take(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.work_ticket")
    carried_out(
        request,
        lambda: workflow.ticket_start(ticket, actor=request.user),
        _("The ticket is yours and in progress."),
    )
    return _done(request, ticket)


@login_required
@require_POST
def ticket_assign(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.assign_ticket")
    form_carried_out(
        request,
        AssignForm(request.POST, desk_people=desk_people()),
        lambda data: workflow.ticket_assign(ticket, assignee=data["assignee"], actor=request.user),
        lambda data: _("Given to %(name)s.") % {"name": data["assignee"].get_full_name()},
    )
    return _done(request, ticket)


@login_required
@require_POST
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReplyForm(request.POST)
    note = request.POST.get("kind") == "note"
    ticket = _permitted(request, pk, "incidents.note_ticket" if note else "incidents.work_ticket")
    if not form.is_valid():
        say_problems(request, form)
        return _done(request, ticket)
    data = form.cleaned_data
    if note:
        carried_out(
            request,
            lambda: workflow.ticket_note(ticket, actor=request.user, body=data["body"]),
            _("Note added."),
        )
    else:
        canned = CannedReply.objects.filter(pk=data["canned"]).first() if data["canned"] else None
        carried_out(
            request,
            lambda: workflow.ticket_reply(
                ticket,
                actor=request.user,
                body=data["body"],
                wait_for_customer=data["wait_for_customer"],
                canned=canned,
            ),
            _("Reply sent."),
        )
    return _done(request, ticket)


@login_required
@require_POST
def ticket_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.work_ticket")
    form_carried_out(
        request,
        ResolveForm(request.POST),
        lambda data: workflow.ticket_resolve(ticket, actor=request.user, **data),
        _("Resolved; the customer gets a link to rate the answer."),
    )
    return _done(request, ticket)


@login_required
@require_POST
def ticket_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.reopen_ticket")
    form_carried_out(
        request,
        ReopenForm(request.POST),
        lambda data: workflow.ticket_reopen(ticket, actor=request.user, reason=data["reason"]),
        _("Reopened."),
    )
    return _done(request, ticket)


@login_required
@require_POST
def ticket_merge(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.work_ticket")
    form = MergeForm(request.POST)
    if not form.is_valid():
        say_problems(request, form)
        return _done(request, ticket)
    into = Ticket.objects.filter(number=form.cleaned_data["into"].strip()).first()
    if into is None:
        messages.error(
            request,
            _("No ticket has the number %(number)s.") % {"number": form.cleaned_data["into"]},
        )
        return _done(request, ticket)
    if carried_out(
        request,
        lambda: workflow.ticket_merge(ticket, into=into, actor=request.user),
        _("Merged into № %(number)s.") % {"number": into.number},
    ):
        return redirect(into)
    return _done(request, ticket)


@login_required
@require_POST
def ticket_update(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.work_ticket")
    form = DetailsForm(request.POST)
    if not form.is_valid():
        say_problems(request, form)
        return _done(request, ticket)
    data = form.cleaned_data
    employee = None
    if data["employee"]:
        employee = employee_by_number(data["employee"])
        if employee is None:
            messages.error(
                request,
                _("No active employee has the personnel number %(number)s.")
                % {"number": data["employee"]},
            )
            return _done(request, ticket)
    carried_out(
        request,
        lambda: workflow.ticket_update(
            ticket,
            actor=request.user,
            category=data["category"],
            priority=data["priority"],
            store=data["store"],
            employee=employee,
            root_cause=data["root_cause"] or "",
        ),
        _("Details saved."),
    )
    return _done(request, ticket)


@login_required
@require_POST
def ticket_attach(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.note_ticket")
    form_carried_out(
        request,
        AttachForm(request.POST, request.FILES),
        lambda data: attachment_add(ticket, actor=request.user, upload=data["file"]),
        _("File attached."),
    )
    return _done(request, ticket)


@login_required
@require_POST
def ticket_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.work_ticket")
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        say_problems(request, form)
    else:
        data = form.cleaned_data
        try:
            guided.receipt_check(
                ticket,
                actor=request.user,
                store=data["store"],
                number=data["number"],
                at=data["at"],
                amount=data["amount"],
            )
        except ValidationError as error:
            say_problems(request, error)
        else:
            ticket.refresh_from_db(fields=["receipt_finding"])
            messages.info(request, ticket.get_receipt_finding_display())
    return _done(request, ticket)


@login_required
@require_POST
def credit_request(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _permitted(request, pk, "incidents.work_ticket")
    form_carried_out(
        request,
        CreditForm(request.POST),
        lambda data: guided.credit_request(ticket, actor=request.user, **data),
        _("Sent to the supervisor for approval."),
    )
    return _done(request, ticket)


@login_required
@require_POST
def credit_decide(request: HttpRequest, pk: int) -> HttpResponse:
    credit = get_object_or_404(CreditRequest.objects.select_related("ticket"), pk=pk)
    ticket = ticket_get_visible(user=request.user, pk=credit.ticket_id)
    if not request.user.has_perm("incidents.decide_credit", credit):
        raise PermissionDenied
    form_carried_out(
        request,
        CreditDecisionForm(request.POST),
        lambda data: guided.credit_decide(
            credit, actor=request.user, approve=data["approve"], comment=data["comment"]
        ),
        lambda data: _("Credit approved.") if data["approve"] else _("Credit rejected."),
    )
    return _done(request, ticket)
