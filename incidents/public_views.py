"""The customer's pages, open without a login: the complaint form, its confirmation, the
status check by number and phone (the ticket then kept in the session), a message to the
desk, and the one-use rating link.

Refusals say what happened and store nothing: a body over INCIDENTS_PUBLIC_MAX_BYTES is
413 before it is read (so the form's CSRF check runs in the view, after the size check);
flooding is 429 naming the limit (filings per client address and per phone, failed status
checks and messages per address); a robot that fills the hidden honeypot field sees a
normal confirmation and nothing is filed."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import get_usage

from incidents.choices import PUBLIC_STATUS, Channel, Status, TicketEventKind
from incidents.public_forms import (
    CustomerMessageForm,
    PublicComplaintForm,
    RatingForm,
    StatusLookupForm,
)
from incidents.selectors.public import PublicEntry, ticket_public_by_pk, ticket_public_story
from incidents.selectors.tickets import ticket_public_get
from incidents.services.csat import csat_rate, ticket_for_rating
from incidents.services.intake import Intake
from incidents.services.public import ticket_file_public
from incidents.services.workflow import customer_wrote, reopen_allowed
from portal.numbers import format_number
from portal.org.password_reset import client_address

log = logging.getLogger(__name__)

SESSION_FILED = "incidents_public_filed"  # the number the confirmation page shows
SESSION_TICKET = "incidents_public_ticket"  # the pk of the ticket the status page shows


def _status_rate() -> str:
    """Failed status checks per client address (wrong number or phone)."""
    return settings.INCIDENTS_PUBLIC_RATE_STATUS


# --- Limits ------------------------------------------------------------------------------


def _phone_key(phone: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: phone


def _spent(request: HttpRequest, group: str, rate: str, key=client_address) -> dict | None:
    """The counter's usage when it has reached its limit (the next one is refused)."""
    usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
    return usage if usage is not None and usage["count"] >= usage["limit"] else None


def _count(request: HttpRequest, group: str, rate: str, key=client_address) -> None:
    get_usage(request, group=group, key=key, rate=rate, increment=True)


def _limit_words(rate: str, what: Callable[[int], str]) -> str:
    """«5 complaints an hour» from "5/h"."""
    count, _slash, per = rate.partition("/")
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    seconds = int(per[:-1] or 1) * units.get(per[-1:], 1)
    if seconds == 3600:
        period = _("an hour")
    elif seconds == 86400:
        period = _("a day")
    else:
        minutes = max(1, seconds // 60)
        period = ngettext("in %(n)s minute", "in %(n)s minutes", minutes) % {"n": minutes}
    return f"{what(int(count))} {period}"


def _throttled(request: HttpRequest, usage: dict, message: str) -> HttpResponse:
    wait = max(1, -(-max(usage.get("time_left", 0), 0) // 60))
    response = render(
        request,
        "incidents/public/throttled.html",
        {
            "message": message,
            "retry": ngettext("Try again in %(n)s minute.", "Try again in %(n)s minutes.", wait)
            % {"n": wait},
        },
        status=429,
    )
    response["Retry-After"] = str(wait * 60)
    return response


def _complaints(count: int) -> str:
    return ngettext("%(n)s complaint", "%(n)s complaints", count) % {"n": count}


def _address_throttled(request: HttpRequest, usage: dict) -> HttpResponse:
    limit = _limit_words(settings.INCIDENTS_PUBLIC_RATE_ADDRESS, _complaints)
    message = _("From one address we accept at most %(limit)s.") % {"limit": limit}
    return _throttled(request, usage, message)


def _phone_throttled(request: HttpRequest, usage: dict) -> HttpResponse:
    limit = _limit_words(settings.INCIDENTS_PUBLIC_RATE_PHONE, _complaints)
    message = _("For one phone number we accept at most %(limit)s.") % {"limit": limit}
    return _throttled(request, usage, message)


# --- The complaint ------------------------------------------------------------------------


def _too_large(request: HttpRequest) -> HttpResponse:
    context = {
        "max_mb": settings.INCIDENTS_PUBLIC_MAX_BYTES // 2**20,
        "photo_mb": settings.INCIDENTS_ATTACHMENT_MAX_BYTES // 2**20,
    }
    return render(request, "incidents/public/too_large.html", context, status=413)


def _declared_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _complaint_page(request: HttpRequest, form: PublicComplaintForm) -> HttpResponse:
    return render(request, "incidents/public/complaint.html", {"form": form})


def _intake(form: PublicComplaintForm) -> Intake:
    data = form.cleaned_data
    return Intake(
        channel=Channel.WEB,
        category=data["category"],
        description=data["description"],
        customer_name=data["customer_name"],
        customer_phone=data["customer_phone"],
        customer_email=data["customer_email"],
        store=data["store"],
        receipt_number=data["receipt_number"],
        receipt_at=form.receipt_at,
        receipt_amount=data["receipt_amount"],
    )


def _filed(request: HttpRequest, number: str) -> HttpResponse:
    request.session[SESSION_FILED] = number
    return redirect("incidents:public_filed")


FILINGS_BY_ADDRESS = "incidents:public_new"
FILINGS_BY_PHONE = "incidents:public_new:phone"


def _posted_form(request: HttpRequest) -> PublicComplaintForm | HttpResponse:
    """The posted form once its CSRF token is checked (which reads the body), or the
    refusal: 403 for the token, 413 for text fields over Django's own limit."""
    try:
        refused = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        return refused or PublicComplaintForm(request.POST, request.FILES)
    except RequestDataTooBig:
        return _too_large(request)


@csrf_exempt  # checked in the view, once the body is known to be within the limit
@require_http_methods(["GET", "POST"])
def public_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _complaint_page(request, PublicComplaintForm())
    by_address = settings.INCIDENTS_PUBLIC_RATE_ADDRESS
    if _declared_size(request) > settings.INCIDENTS_PUBLIC_MAX_BYTES:
        return _too_large(request)
    if usage := _spent(request, FILINGS_BY_ADDRESS, by_address):
        return _address_throttled(request, usage)
    form = _posted_form(request)
    if isinstance(form, HttpResponse):
        return form
    if form.is_robot:
        log.warning("public complaint: honeypot filled by %s", client_address("", request))
        _count(request, FILINGS_BY_ADDRESS, by_address)
        return _filed(request, f"{secrets.randbelow(10**9):09d}")  # looks filed; is not
    if not form.is_valid():
        return _complaint_page(request, form)
    phone, by_phone = (
        _phone_key(form.cleaned_data["customer_phone"]),
        settings.INCIDENTS_PUBLIC_RATE_PHONE,
    )
    if usage := _spent(request, FILINGS_BY_PHONE, by_phone, phone):
        return _phone_throttled(request, usage)
    try:
        ticket = ticket_file_public(_intake(form), photo=form.cleaned_data["photo"])
    except ValidationError as error:
        form.add_service_errors(error)
        return _complaint_page(request, form)
    _count(request, FILINGS_BY_ADDRESS, by_address)
    _count(request, FILINGS_BY_PHONE, by_phone, phone)
    request.session[SESSION_TICKET] = ticket.pk  # the one who filed it follows it at once
    return _filed(request, ticket.number)


@require_http_methods(["GET"])
def public_filed(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SESSION_FILED, "")
    if not number:
        return redirect("incidents:public_new")
    if number.isdigit():  # shown as printed: 123-456-789
        number = f"{number[:3]}-{number[3:6]}-{number[6:]}"
    return render(request, "incidents/public/filed.html", {"number": number})


# --- The status page -----------------------------------------------------------------------

_STATUS_WORDS = {
    Status.NEW: gettext_lazy("Your request is in the queue again."),
    Status.ASSIGNED: gettext_lazy("An operator took your request."),
    Status.IN_PROGRESS: gettext_lazy("We are working on your request."),
    Status.WAITING: gettext_lazy("We are waiting for your answer."),
    Status.RESOLVED: gettext_lazy("Your request is resolved."),
    Status.CLOSED: gettext_lazy("The request is closed."),
}
_KIND_WORDS = {
    TicketEventKind.CREATED: gettext_lazy("We received your request."),
    TicketEventKind.REPLIED: gettext_lazy("We answered you."),
    TicketEventKind.CUSTOMER_WROTE: gettext_lazy("You wrote to us."),
    TicketEventKind.RECEIPT_CHECKED: gettext_lazy("We checked your receipt in the store's data."),
    TicketEventKind.CREDIT_REQUESTED: gettext_lazy(
        "We asked for the points to be credited by hand."
    ),
    TicketEventKind.REOPENED: gettext_lazy("Your request was reopened."),
}
# Status changes that only echo the step beside them (a reply puts the ticket back in
# work, so does the customer's message or a reopening): not said twice.
_ECHOES = (Status.NEW, Status.IN_PROGRESS)


def _entry_words(entry: PublicEntry) -> str:
    payload = entry.payload
    if entry.kind == TicketEventKind.STATUS:
        return str(_STATUS_WORDS.get(payload.get("after"), ""))
    if entry.kind == TicketEventKind.CREDIT_DECIDED:
        if payload.get("approved"):
            points = format_number(Decimal(str(payload.get("points") or 0)), "decimal")
            return _("The manual credit of %(points)s points is approved.") % {"points": points}
        return _("The manual credit of points was not approved.")
    if entry.kind == TicketEventKind.RATED:
        return _("You rated our answer: %(rating)s of 5.") % {"rating": payload.get("rating")}
    if entry.kind == TicketEventKind.MERGED:
        return _("Your request was joined to request № %(number)s.") % {
            "number": payload.get("into", "")
        }
    return str(_KIND_WORDS.get(entry.kind, ""))


def public_story(entries: list[PublicEntry]) -> list[dict]:
    """The public events in plain words, each status change that merely echoes a step at
    the same moment left out."""
    steps_at = {entry.at for entry in entries if entry.kind != TicketEventKind.STATUS}
    story = []
    for entry in entries:
        echo = entry.kind == TicketEventKind.STATUS and entry.payload.get("after") in _ECHOES
        if echo and entry.at in steps_at:
            continue
        words = _entry_words(entry)
        if words:
            story.append(
                {
                    "at": entry.at,
                    "words": words,
                    "body": entry.body,
                    "from_customer": entry.kind == TicketEventKind.CUSTOMER_WROTE,
                }
            )
    return story


def _status_page(request: HttpRequest, ticket, message_form=None) -> HttpResponse:
    writable = ticket.status not in (Status.RESOLVED, Status.CLOSED) or reopen_allowed(ticket)
    context = {
        "ticket": ticket,
        "public_status": PUBLIC_STATUS.get(ticket.status, ""),
        "story": public_story(ticket_public_story(ticket)),
        "message_form": message_form or CustomerMessageForm(),
        "writable": writable,
        "done": ticket.status in (Status.RESOLVED, Status.CLOSED),
    }
    return render(request, "incidents/public/status.html", context)


def _lookup_page(request: HttpRequest, form: StatusLookupForm) -> HttpResponse:
    return render(request, "incidents/public/lookup.html", {"form": form})


def _checks_throttled(request: HttpRequest, usage: dict) -> HttpResponse:
    def checks(count: int) -> str:
        return ngettext("%(n)s unsuccessful check", "%(n)s unsuccessful checks", count) % {
            "n": count
        }

    limit = _limit_words(_status_rate(), checks)
    message = _("From one address we allow at most %(limit)s.") % {"limit": limit}
    return _throttled(request, usage, message)


@require_http_methods(["GET", "POST"])
def public_status(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        ticket = ticket_public_by_pk(request.session.get(SESSION_TICKET))
        if ticket is not None:
            return _status_page(request, ticket)
        request.session.pop(SESSION_TICKET, None)
        return _lookup_page(request, StatusLookupForm(initial={"number": request.GET.get("n", "")}))
    group = "incidents:public_status"
    if usage := _spent(request, group, _status_rate()):
        return _checks_throttled(request, usage)
    form = StatusLookupForm(request.POST)
    if not form.is_valid():
        return _lookup_page(request, form)
    data = form.cleaned_data
    ticket = ticket_public_get(number=data["number"], phone=data["customer_phone"])
    if ticket is None:  # the same words whether the number or the phone was wrong
        _count(request, group, _status_rate())
        form.add_error(None, _("No request matches this number and phone. Check both."))
        return _lookup_page(request, form)
    request.session[SESSION_TICKET] = ticket.pk
    return redirect("incidents:public_status")


@require_POST
def public_message(request: HttpRequest) -> HttpResponse:
    ticket = ticket_public_by_pk(request.session.get(SESSION_TICKET))
    if ticket is None:
        return redirect("incidents:public_status")
    group, rate = "incidents:public_message", settings.INCIDENTS_PUBLIC_RATE_ADDRESS
    if usage := _spent(request, group, rate):

        def notes(count: int) -> str:
            return ngettext("%(n)s message", "%(n)s messages", count) % {"n": count}

        message = _("From one address we accept at most %(limit)s.") % {
            "limit": _limit_words(rate, notes)
        }
        return _throttled(request, usage, message)
    form = CustomerMessageForm(request.POST)
    if form.is_valid():
        try:
            customer_wrote(ticket, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body" if hasattr(error, "error_dict") else None, error.messages)
        else:
            _count(request, group, rate)
            messages.success(request, _("Your message is sent to the desk."))
            return redirect("incidents:public_status")
    return _status_page(request, ticket, message_form=form)


@require_POST
def public_forget(request: HttpRequest) -> HttpResponse:
    """End the status page on this device (a shared phone or computer)."""
    request.session.pop(SESSION_TICKET, None)
    return redirect("incidents:public_status")


# --- The rating -----------------------------------------------------------------------------


def _rating_gone(request: HttpRequest) -> HttpResponse:
    return render(request, "incidents/public/rate_gone.html", status=410)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    ticket = ticket_for_rating(token)
    if ticket is None or ticket.status not in (Status.RESOLVED, Status.CLOSED):
        return _rating_gone(request)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            csat_rate(token, rating=data["rating"], comment=data["comment"])
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _rating_gone(request)
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return render(request, "incidents/public/rate_done.html", {"ticket": ticket})
    return render(request, "incidents/public/rate.html", {"ticket": ticket, "form": form})
