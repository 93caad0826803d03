"""Tickets built in bulk as the services would have left them: the demo's year of history
(and any load of old tickets), which the per-ticket services — a dozen statements a step —
cannot write in time.

A `HistorySpec` is what happened to one ticket: its intake, when and by whom it was filed,
and its steps, each naming the service call it stands for (`Reply` is `ticket_reply`,
`CustomerWrote` is `customer_wrote`…). `tickets_history_build` replays the steps in memory
with the services' own pieces — `intake_check`, `queue_for`, `clock_start` and the rest of
the SLA clock on `BusinessHours`, `reopen_allowed`, the rules' `decide_credit`, the CSAT
token's hash — and writes, chunk by chunk, the rows those services would have written:
tickets, messages, pauses, credit requests and their event rows (kinds checked and payloads
made JSON as `event_build` does). The SLA beat (`sla_escalate`) is replayed too: it runs
every `BEAT` on the clock, so a missed target is escalated at the first run at or after
it, to the supervisors and, still open `INCIDENTS_REGIONAL_AFTER_MINUTES` business minutes
after the resolution target, to the regional manager. `incidents/tests/test_history.py`
holds a ticket built here to the same ticket driven through the services, field by field
and event by event.

What the builder leaves out on purpose: notifications (a year-old inbox entry helps nobody)
and the mail a reply or a CSAT link sends.

    specs = [HistorySpec(intake, at=filed, actor=agent, steps=[TakeNext(...), Reply(...),
             Resolve(...), Rate(...), Close(...)]), ...]
    tickets_history_build(specs, now=timezone.now())
"""

from incidents.history.build import CHUNK, tickets_history_build
from incidents.history.replay import BEAT, CENTS, beat_from
from incidents.history.specs import (
    ASSIGNEE,
    Actor,
    Assign,
    Close,
    CreditDecided,
    CreditRequested,
    CustomerWrote,
    HistoryError,
    HistorySpec,
    Merge,
    Note,
    Rate,
    ReceiptChecked,
    Reopen,
    Reply,
    ReplyText,
    Resolve,
    Start,
    Step,
    TakeNext,
    reply_text,
    specs_sorted,
)

__all__ = [
    "ASSIGNEE",
    "BEAT",
    "CENTS",
    "CHUNK",
    "Actor",
    "Assign",
    "Close",
    "CreditDecided",
    "CreditRequested",
    "CustomerWrote",
    "HistoryError",
    "HistorySpec",
    "Merge",
    "Note",
    "Rate",
    "ReceiptChecked",
    "Reopen",
    "Reply",
    "ReplyText",
    "Resolve",
    "Start",
    "Step",
    "TakeNext",
    "beat_from",
    "reply_text",
    "specs_sorted",
    "tickets_history_build",
]
