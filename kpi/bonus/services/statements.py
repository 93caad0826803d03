"""Writes of a period's statements: draft, restate, open for disputes, disputes and
their decisions, the two approvals, corrections of locked lines and the period close.

Late receipts (the documented rule): until HQ's approval locks a statement, it is
restated from the receipts as they stand — by HQ's «Restate», and whenever a dispute is
accepted; a restatement after the regional manager's approval voids that approval. A
locked statement is never recomputed: what receipts loaded later change is shown on its
page (`kpi.bonus.selectors.statements.late_changes`) and HQ files it as corrections,
adjustment lines of the scheme's next statement for the same region, each linked to the
line it corrects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import rules
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kpi.bonus import clock
from kpi.bonus.choices import (
    OPEN_STATEMENT,
    DisputeStatus,
    LineKind,
    SchemeStatus,
    StatementEventKind,
    StatementStatus,
)
from kpi.bonus.compute import Computation, metric_label, scheme_regions, statement_compute
from kpi.bonus.ledger import ZERO, kopecks
from kpi.bonus.models import (
    Adjustment,
    Dispute,
    Line,
    Scheme,
    Statement,
    StatementEvent,
    StoreResult,
)
from kpi.bonus.services.schemes import scheme_suspension_check
from kpi.periods import Period
from portal.events.services import event_record
from portal.notify.services import Message, notify_many
from portal.org.choices import Role
from portal.org.models import User

# Permissions are asked of the rules themselves, not of `actor.has_perm`: Django passes
# every permission for a superuser, and segregation of duties binds them too.


class StatementRefused(Exception):
    """A write the statement's state or the actor's part does not allow; the message
    says why, for the page."""


def _event(statement: Statement, kind: str, actor: User | None, **payload) -> None:
    event_record(
        StatementEvent, kind=kind, actor=actor, payload=payload, at=clock.now(), statement=statement
    )


def _locked(statement: Statement) -> Statement:
    return (
        Statement.objects.select_for_update(of=("self",))
        .select_related("scheme", "region")
        .get(pk=statement.pk)
    )


def _write(statement: Statement, computation: Computation) -> None:
    """The computation's results and lines under `statement`, and its pending corrections
    as adjustment lines; the statement's totals follow."""
    StoreResult.objects.bulk_create(
        StoreResult(
            statement=statement,
            store=r.store,
            value=r.value,
            rank=r.rank,
            receipts=r.receipts,
            target=r.target,
            outcome=r.outcome,
            ineligible=r.ineligible,
            people=r.people,
            amount=r.amount,
        )
        for r in computation.results
    )
    Line.objects.bulk_create(
        Line(
            statement=statement,
            store=line.store,
            person=line.person,
            personnel_number=line.person.personnel_number,
            name=line.person.full_name,
            kind=line.kind,
            amount=line.amount,
            capped=line.capped,
            basis=line.basis,
        )
        for line in computation.lines
    )
    _adjustments_apply(statement)
    statement.awarded = computation.awarded
    statement.deducted = computation.deducted
    statement.adjusted = sum(
        statement.lines.filter(kind=LineKind.ADJUSTMENT).values_list("amount", flat=True), ZERO
    )
    statement.scope_value = computation.scope_value
    statement.scope_target = computation.scope_target
    statement.scope_met = computation.scope_met
    statement.metric_label = computation.metric_label


def _adjustments_apply(statement: Statement) -> None:
    """Pending corrections of the scheme's earlier locked lines in this region become
    adjustment lines here."""
    pending = Adjustment.objects.filter(
        applied__isnull=True,
        corrects__statement__scheme=statement.scheme,
        corrects__statement__region=statement.region,
        corrects__statement__starts_on__lt=statement.starts_on,
    ).select_related("corrects", "corrects__person", "corrects__store")
    for adjustment in pending:
        corrected = adjustment.corrects
        adjustment.applied = Line.objects.create(
            statement=statement,
            store=corrected.store,
            person=corrected.person,
            personnel_number=corrected.personnel_number,
            name=corrected.name,
            kind=LineKind.ADJUSTMENT,
            amount=adjustment.amount,
            basis={"reason": adjustment.reason, "corrects_period": str(corrected.statement_id)},
            corrects=corrected,
        )
        adjustment.save(update_fields=["applied"])


def _suspended_now(scheme: Scheme) -> bool:
    return scheme.status == SchemeStatus.SUSPENDED


@transaction.atomic
def statement_draft(*, actor: User | None, scheme: Scheme, period: Period) -> list[Statement]:
    """The statements of `scheme` for `period` (one per region, or one for the network),
    computed from the receipts as they stand; `actor` None is the period close. Idempotent:
    a statement already there is returned as it is. Then the scheme's suspension is
    checked against the periods' plans."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    drafted = []
    for region in scheme_regions(scheme):
        existing = Statement.objects.filter(
            scheme=scheme, region=region, starts_on=period.start
        ).first()
        if existing is not None:
            drafted.append(existing)
            continue
        computation = statement_compute(
            scheme=scheme, period=period, region=region, suspended=_suspended_now(scheme)
        )
        statement = Statement.objects.create(
            scheme=scheme,
            region=region,
            period_kind=scheme.period,
            starts_on=period.start,
            ends_on=period.end,
            suspended=computation.suspended,
            metric_label=metric_label(scheme),
            prepared_by=actor,
            prepared_at=clock.now(),
        )
        _write(statement, computation)
        statement.save()
        _event(
            statement,
            StatementEventKind.DRAFTED,
            actor,
            awarded=statement.awarded,
            deducted=statement.deducted,
            lines=len(computation.lines),
            too_few_stores=computation.too_few_stores,
            unknown_cashiers=computation.unknown_cashiers,
        )
        drafted.append(statement)
    scheme_suspension_check(scheme=scheme)
    return drafted


@transaction.atomic
def statement_restate(*, actor: User | None, statement: Statement) -> Statement:
    """Recompute an open statement from the receipts as they stand, keeping its
    exclusions and its disputes; the actor becomes its last changer (so they cannot
    approve it), and a regional approval is void."""
    statement = _locked(statement)
    if statement.status not in OPEN_STATEMENT:
        raise StatementRefused(_("A locked statement is not restated; file a correction."))
    before = (statement.awarded, statement.deducted)
    computation = statement_compute(
        scheme=statement.scheme,
        period=_period_of(statement),
        region=statement.region,
        suspended=statement.suspended,
        excluded_people=statement.excluded_people,
        excluded_stores=statement.excluded_stores,
    )
    statement.lines.exclude(kind=LineKind.ADJUSTMENT).delete()
    statement.results.all().delete()
    _write(statement, computation)
    if actor is not None:
        statement.changed_by = actor
    if statement.status == StatementStatus.REGION_APPROVED:
        statement.status = StatementStatus.REVIEW
        statement.region_approved_by = None
        statement.region_approved_at = None
    statement.save()
    _event(
        statement,
        StatementEventKind.RESTATED,
        actor,
        awarded=[before[0], statement.awarded],
        deducted=[before[1], statement.deducted],
    )
    return statement


def _period_of(statement: Statement) -> Period:
    return Period(statement.period_kind, statement.starts_on, statement.ends_on)


def _store_managers(statement: Statement) -> list[User]:
    store_ids = statement.results.values_list("store_id", flat=True)
    return list(
        User.objects.filter(store_id__in=store_ids, role=Role.STORE_MANAGER, is_active=True)
    )


def _url(statement: Statement) -> str:
    return reverse("bonus:statement", args=[statement.pk])


@transaction.atomic
def statement_open(*, actor: User | None, statement: Statement) -> Statement:
    """Draft → open for disputes for the scheme's dispute window; each store manager of
    the statement's stores is told their store's result, and the region's managers
    that it awaits them."""
    statement = _locked(statement)
    if statement.status != StatementStatus.DRAFT:
        raise StatementRefused(_("Only a draft is opened for disputes."))
    statement.status = StatementStatus.REVIEW
    statement.dispute_until = clock.today() + dt.timedelta(days=statement.scheme.dispute_days)
    statement.save(update_fields=["status", "dispute_until"])
    _event(statement, StatementEventKind.OPENED, actor, dispute_until=statement.dispute_until)
    title = _("Bonus results for %(period)s: %(scheme)s") % {
        "period": _period_of(statement).label,
        "scheme": statement.scheme.name,
    }
    messages = [
        Message(m, key=f"bonus-result-{statement.pk}", title=title, url=_url(statement))
        for m in _store_managers(statement)
    ]
    messages += [
        Message(m, key=f"bonus-review-{statement.pk}", title=title, url=_url(statement))
        for m in _approvers_of_region(statement)
    ]
    notify_many(messages)
    return statement


def _approvers_of_region(statement: Statement) -> list[User]:
    if statement.region_id is None:
        return list(User.objects.filter(role=Role.LP_MANAGER, is_active=True))
    return list(
        User.objects.filter(
            role=Role.REGIONAL_MANAGER, region_id=statement.region_id, is_active=True
        )
    )


@transaction.atomic
def line_dispute(*, actor: User, line: Line, comment: str) -> Dispute:
    """A store manager disputes a line of their store while the statement is open for
    disputes (until its window closes)."""
    statement = _locked(line.statement)
    comment = (comment or "").strip()
    if not rules.has_perm("bonus.dispute_line", actor, line):
        raise StatementRefused(_("Only the store's manager disputes its lines."))
    if statement.status != StatementStatus.REVIEW or (
        statement.dispute_until and clock.today() > statement.dispute_until
    ):
        raise StatementRefused(_("The statement is not open for disputes."))
    if not comment:
        raise StatementRefused(_("Say what is wrong with the line."))
    dispute = Dispute.objects.create(
        statement=statement,
        line=line,
        store=line.store,
        person=line.person,
        amount=line.amount,
        raised_by=actor,
        raised_at=clock.now(),
        comment=comment,
    )
    _event(
        statement,
        StatementEventKind.DISPUTED,
        actor,
        dispute=dispute.pk,
        person=line.personnel_number,
        amount=line.amount,
        comment=comment,
    )
    notify_many(
        Message(
            m,
            key=f"bonus-dispute-{dispute.pk}",
            title=_("A bonus line is disputed: %(name)s") % {"name": line.name},
            url=_url(statement),
        )
        for m in _approvers_of_region(statement)
    )
    return dispute


@transaction.atomic
def dispute_decide(
    *, actor: User, dispute: Dispute, accept: bool, decision: str, exclude: str = ""
) -> Dispute:
    """Accept or reject a dispute (never one's own). Accepted, the statement is restated
    (excluding the person or the store when `exclude` says so) by the decider."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    statement = _locked(dispute.statement)
    decision = (decision or "").strip()
    if not rules.has_perm("bonus.decide_dispute", actor, dispute):
        raise StatementRefused(_("This dispute is not yours to decide."))
    if statement.status not in OPEN_STATEMENT:
        raise StatementRefused(_("The statement is locked."))
    if not decision:
        raise StatementRefused(_("Give the reason of the decision."))
    if exclude not in ("", "person", "store"):
        raise StatementRefused(_("Unknown exclusion."))
    dispute.status = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
    dispute.decided_by, dispute.decided_at = actor, clock.now()
    dispute.decision, dispute.exclude = decision, exclude if accept else ""
    dispute.save()
    kind = StatementEventKind.DISPUTE_ACCEPTED if accept else StatementEventKind.DISPUTE_REJECTED
    _event(statement, kind, actor, dispute=dispute.pk, decision=decision, exclude=exclude)
    if accept:
        if exclude == "person" and dispute.person_id not in statement.excluded_people:
            statement.excluded_people = [*statement.excluded_people, dispute.person_id]
        if exclude == "store" and dispute.store_id not in statement.excluded_stores:
            statement.excluded_stores = [*statement.excluded_stores, dispute.store_id]
        statement.save(update_fields=["excluded_people", "excluded_stores"])
        statement_restate(actor=actor, statement=statement)
    notify_many(
        [
            Message(
                dispute.raised_by,
                key=f"bonus-dispute-decided-{dispute.pk}",
                title=_("Your dispute was decided: %(status)s")
                % {"status": dispute.get_status_display()},
                body=decision,
                url=_url(statement),
            )
        ]
    )
    return dispute


@transaction.atomic
def statement_approve(*, actor: User, statement: Statement) -> Statement:
    """The first approval (the region's manager; a network statement, HQ) once no dispute
    is open, then HQ's, which locks it. Neither approver prepared or last changed it,
    and they are two different people (the database checks it too)."""
    statement = _locked(statement)
    if statement.status == StatementStatus.REVIEW:
        if not rules.has_perm("bonus.approve_region", actor, statement):
            raise StatementRefused(
                _("The first approval is the region's manager's, and never the preparer's.")
            )
        if statement.disputes.filter(status=DisputeStatus.OPEN).exists():
            raise StatementRefused(_("Decide the open disputes first."))
        statement.status = StatementStatus.REGION_APPROVED
        statement.region_approved_by, statement.region_approved_at = actor, clock.now()
        statement.save(update_fields=["status", "region_approved_by", "region_approved_at"])
        _event(statement, StatementEventKind.REGION_APPROVED, actor)
        notify_many(
            Message(
                m,
                key=f"bonus-hq-{statement.pk}",
                title=_("A bonus statement awaits HQ's approval: %(s)s") % {"s": statement},
                url=_url(statement),
            )
            for m in User.objects.filter(role=Role.LP_MANAGER, is_active=True).exclude(pk=actor.pk)
        )
        return statement
    if statement.status == StatementStatus.REGION_APPROVED:
        if not rules.has_perm("bonus.approve_hq", actor, statement):
            raise StatementRefused(
                _(
                    "The second approval is HQ's, by someone who neither prepared, changed nor "
                    "approved it first."
                )
            )
        statement.status = StatementStatus.LOCKED
        statement.hq_approved_by, statement.locked_at = actor, clock.now()
        statement.save(update_fields=["status", "hq_approved_by", "locked_at"])
        _event(
            statement,
            StatementEventKind.LOCKED,
            actor,
            awarded=statement.awarded,
            deducted=statement.deducted,
            adjusted=statement.adjusted,
        )
        notify_many(
            Message(
                m,
                key=f"bonus-locked-{statement.pk}",
                title=_("Bonus for %(period)s approved: see your store's lines")
                % {"period": _period_of(statement).label},
                url=_url(statement),
            )
            for m in _store_managers(statement)
        )
        return statement
    raise StatementRefused(_("This statement is not awaiting an approval."))


@transaction.atomic
def line_adjust(*, actor: User, line: Line, amount: Decimal, reason: str) -> Adjustment:
    """A correction of a locked line (HQ): carried into the scheme's next statement for
    the same region as an adjustment line linked to it — at once if that statement is
    still open, else when it is drafted."""
    if not actor.has_perm("bonus.adjust_line"):
        raise StatementRefused(_("Corrections are HQ's."))
    line = Line.objects.select_related("statement").get(pk=line.pk)
    if not line.statement.is_locked:
        raise StatementRefused(_("An open statement is restated, not corrected."))
    reason = (reason or "").strip()
    amount = kopecks(Decimal(amount))
    if not reason:
        raise StatementRefused(_("Give the reason of the correction."))
    if not amount:
        raise StatementRefused(_("A correction is not zero."))
    adjustment = Adjustment.objects.create(
        corrects=line, amount=amount, reason=reason, created_by=actor, created_at=clock.now()
    )
    _event(
        line.statement,
        StatementEventKind.ADJUSTMENT_FILED,
        actor,
        line=line.pk,
        person=line.personnel_number,
        amount=amount,
        reason=reason,
    )
    following = (
        Statement.objects.filter(
            scheme_id=line.statement.scheme_id,
            region_id=line.statement.region_id,
            starts_on__gt=line.statement.starts_on,
            status__in=OPEN_STATEMENT,
        )
        .order_by("starts_on")
        .first()
    )
    if following is not None:
        following = _locked(following)
        _adjustments_apply(following)
        following.changed_by = actor  # who filed it does not approve the statement it lands in
        following.adjusted = sum(
            following.lines.filter(kind=LineKind.ADJUSTMENT).values_list("amount", flat=True),
            ZERO,
        )
        following.save(update_fields=["adjusted", "changed_by"])
    return adjustment


def payroll_exported(*, actor: User, statement: Statement, file_format: str) -> None:
    """Who downloaded the payroll file of a locked statement, and when."""
    _event(statement, StatementEventKind.EXPORTED, actor, format=file_format)
