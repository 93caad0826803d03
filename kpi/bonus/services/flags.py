"""Abuse flags: the scan that raises them and the LP manager's decision on each.

A flag raised holds its store's (its cashier's) awards for every period it overlaps
(`kpi.bonus.selectors.holds`) until an LP manager clears it (no abuse: the hold lifts)
or confirms it (abuse: the hold stays); either is final and logged with its note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.bonus.choices import FlagEventKind, FlagStatus
from kpi.bonus.models import AbuseFlag, FlagEvent
from kpi.bonus.selectors.flags import FlagCandidate, flag_candidates
from portal.events.services import event_build, event_record
from portal.org.models import User


@dataclass(frozen=True)
class ScanResult:
    start: dt.date
    end: dt.date
    found: int  # patterns in the receipts
    raised: list[AbuseFlag]  # new flags (a pattern already flagged is not raised again)


@transaction.atomic
def flags_scan(*, start: dt.date, end: dt.date, actor: User | None = None) -> ScanResult:
    """Scan the receipts of [start, end] and raise a flag (with a «raised» event) for
    each pattern not flagged yet for that period. Idempotent: a rerun raises nothing
    new; a pattern found again keeps its flag as decided. Atomic; a fixed number of
    queries whatever the flags (bulk inserts). Called by the period close, the task and
    `manage.py bonus_flags_scan`."""
    found = flag_candidates(start=start, end=end)
    known = set(
        AbuseFlag.objects.filter(starts_on=start, ends_on=end).values_list(
            "kind", "store_id", "cashier", "card_id"
        )
    )
    now = timezone.now()
    fresh = [_flag(candidate, now) for candidate in found if candidate.key not in known]
    raised = AbuseFlag.objects.bulk_create(fresh)
    FlagEvent.objects.bulk_create(
        event_build(
            FlagEvent,
            kind=FlagEventKind.RAISED,
            actor=actor,
            at=now,
            payload={"measure": flag.measure, "threshold": flag.threshold},
            flag=flag,
        )
        for flag in raised
    )
    return ScanResult(start=start, end=end, found=len(found), raised=raised)


def _flag(candidate: FlagCandidate, now: dt.datetime) -> AbuseFlag:
    return AbuseFlag(
        kind=candidate.kind,
        store_id=candidate.store_id,
        cashier=candidate.cashier,
        card_id=candidate.card_id,
        starts_on=candidate.starts_on,
        ends_on=candidate.ends_on,
        measure=candidate.measure,
        threshold=candidate.threshold,
        receipts=candidate.receipts,
        evidence=candidate.evidence,
        raised_at=now,
    )


def flag_clear(*, actor: User, flag: AbuseFlag, note: str) -> AbuseFlag:
    """No abuse: the flag stops holding awards. LP managers only, with a note."""
    return _decide(actor=actor, flag=flag, note=note, status=FlagStatus.CLEARED)


def flag_confirm(*, actor: User, flag: AbuseFlag, note: str) -> AbuseFlag:
    """Abuse: the flag keeps holding the period's awards. LP managers only, with a note."""
    return _decide(actor=actor, flag=flag, note=note, status=FlagStatus.CONFIRMED)


@transaction.atomic
def _decide(*, actor: User, flag: AbuseFlag, note: str, status: str) -> AbuseFlag:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why: the note is kept with the decision.")})
    flag = AbuseFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError(_("This flag has already been decided."))
    if not actor.has_perm("bonus.decide_flag", flag):
        raise PermissionDenied
    flag.status = status
    flag.decided_by, flag.decided_at, flag.decision = actor, timezone.now(), note
    flag.save(update_fields=["status", "decided_by", "decided_at", "decision"])
    kind = FlagEventKind.CLEARED if status == FlagStatus.CLEARED else FlagEventKind.CONFIRMED
    event_record(FlagEvent, kind=kind, actor=actor, payload={"note": note}, flag=flag)
    return flag
