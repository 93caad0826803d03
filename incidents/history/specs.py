"""What happened to a ticket, as `tickets_history_build` takes it: the `HistorySpec` and
its steps, one per service call with the arguments that call takes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from incidents.models import CannedReply, Ticket
from incidents.services.intake import Intake
from kpi.selectors import ReceiptLookup
from portal.org.models import Store, User


class _Assignee:
    """The actor of a step is whoever holds the ticket then (the live demo's take-next may
    hand the ticket to another agent than planned)."""

    def __repr__(self) -> str:
        return "ASSIGNEE"


ASSIGNEE = _Assignee()
Actor = User | _Assignee | None


# The steps: one per service call, with the arguments that call takes.
@dataclass(frozen=True)
class Assign:
    """`ticket_assign`: a supervisor's reassignment (or any explicit one)."""

    at: dt.datetime
    assignee: User
    actor: User | None


@dataclass(frozen=True)
class TakeNext:
    """`take_next` by `agent` gave them this ticket."""

    at: dt.datetime
    agent: User


@dataclass(frozen=True)
class Start:
    """`ticket_start`."""

    at: dt.datetime
    actor: Actor = ASSIGNEE


# A reply's text, or what writes it for the ticket and its author then (a canned reply
# filled in with the ticket's number and due moment, which the plan cannot know).
ReplyText = str | Callable[[Ticket, User], str]


@dataclass(frozen=True)
class Reply:
    """`ticket_reply`; `wait` is its `wait_for_customer`."""

    at: dt.datetime
    body: ReplyText
    actor: Actor = ASSIGNEE
    wait: bool = False
    canned: CannedReply | None = None


@dataclass(frozen=True)
class Note:
    """`ticket_note`."""

    at: dt.datetime
    body: str
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class CustomerWrote:
    """`customer_wrote` (reopens a resolved ticket within the window)."""

    at: dt.datetime
    body: str


@dataclass(frozen=True)
class ReceiptChecked:
    """`receipt_check(store=, number=, at=purchase_at, amount=, now=at)`, with what
    `kpi.selectors.receipt_lookup` answered (`found`)."""

    at: dt.datetime
    store: Store
    found: ReceiptLookup
    number: str = ""
    purchase_at: dt.datetime | None = None
    amount: Decimal | None = None
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class CreditRequested:
    """`credit_request`."""

    at: dt.datetime
    points: Decimal
    reason: str
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class CreditDecided:
    """`credit_decide` of the ticket's pending request."""

    at: dt.datetime
    actor: User
    approve: bool
    comment: str = ""


@dataclass(frozen=True)
class Resolve:
    """`ticket_resolve`."""

    at: dt.datetime
    code: str
    root_cause: str
    note: str = ""
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class Rate:
    """`csat_rate` with the link the resolution sent."""

    at: dt.datetime
    rating: int
    comment: str = ""


@dataclass(frozen=True)
class Close:
    """`ticket_close` (actor None: the nightly `tickets_close_resolved`)."""

    at: dt.datetime
    actor: User | None = None


@dataclass(frozen=True)
class Reopen:
    """`ticket_reopen` by someone at the desk."""

    at: dt.datetime
    reason: str
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class Merge:
    """`ticket_merge` of this ticket into `into` (filed before it, open then)."""

    at: dt.datetime
    into: HistorySpec
    actor: Actor = ASSIGNEE


Step = (
    Assign
    | TakeNext
    | Start
    | Reply
    | Note
    | CustomerWrote
    | ReceiptChecked
    | CreditRequested
    | CreditDecided
    | Resolve
    | Rate
    | Close
    | Reopen
    | Merge
)


@dataclass(eq=False)
class HistorySpec:
    """One ticket's life: filed through `intake` at `at` by `actor` (None: the public page,
    the API), then `steps` in time order."""

    intake: Intake
    at: dt.datetime
    actor: User | None = None
    steps: list[Step] = field(default_factory=list)
    ticket: Ticket | None = field(default=None, init=False, repr=False)  # once built


class HistoryError(ValueError):
    """A step the services would refuse (the spec, not the builder, is wrong)."""


def reply_text(step: Reply, ticket: Ticket, actor: User) -> str:
    return step.body(ticket, actor) if callable(step.body) else step.body


def specs_sorted(specs: Sequence[HistorySpec]) -> list[HistorySpec]:
    """In the order they were filed (what `tickets_history_build` expects)."""
    return sorted(specs, key=lambda spec: spec.at)
