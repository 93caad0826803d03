"""The kinds of the bonus app, declared once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The composite store scorecard as a scheme's metric (beside the KPI codes).
SCORECARD = "scorecard"


class Mode(models.TextChoices):
    ZERO_SUM = "zero_sum", _("Zero-sum ranking (the bottom stores pay the top ones)")
    THRESHOLD = "threshold", _("Plan threshold (award at plan, deduction below)")


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class Scope(models.TextChoices):
    REGION = "region", _("Each region separately")
    NETWORK = "network", _("The network as one")


class Payees(models.TextChoices):
    STAFF = "staff", _("All store staff")
    MANAGERS = "managers", _("Store managers only")
    CASHIERS = "cashiers", _("Cashiers, by their own identified share")


class Split(models.TextChoices):
    EQUAL = "equal", _("Equal per person")
    FTE = "fte", _("By FTE share (from HR)")


class SchemeStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("scheme", "Active")
    SUSPENDED = "suspended", _("Suspended: the plan holds")
    ARCHIVED = "archived", _("Archived")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Open for disputes")
    REGION_APPROVED = "region_approved", _("Approved by the regional manager")
    LOCKED = "locked", _("Approved and locked")


OPEN_STATEMENT = (StatementStatus.DRAFT, StatementStatus.REVIEW, StatementStatus.REGION_APPROVED)


class Outcome(models.TextChoices):
    TOP = "top", _("Top of the ranking")
    BOTTOM = "bottom", _("Bottom of the ranking")
    MIDDLE = "middle", _("Middle of the ranking")
    PLAN_MET = "plan_met", _("Plan met")
    PLAN_MISSED = "plan_missed", _("Plan missed")
    INELIGIBLE = "ineligible", _("Not eligible")
    SUSPENDED = "suspended", _("Scheme suspended")


class Ineligible(models.TextChoices):
    NOT_OPEN = "not_open", _("Not open for the whole period")
    NOT_LAUNCHED = "not_launched", _("LP not launched for the whole period")
    TOO_FEW = "too_few", _("Too few receipts")
    NO_VALUE = "no_value", _("No value of the metric")
    NO_PLAN = "no_plan", _("No plan for the period")
    FLAGGED = "flagged", _("Held by an abuse flag")
    COVERAGE = "coverage", _("Certified-staff coverage below the minimum")
    AUDIT_FAILED = "audit_failed", _("A critical audit failure in the period")
    EXCLUDED = "excluded", _("Excluded after a dispute")


class LineKind(models.TextChoices):
    AWARD = "award", _("Award")
    DEDUCTION = "deduction", _("Deduction")
    ADJUSTMENT = "adjustment", _("Adjustment")


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute", "Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class FlagKind(models.TextChoices):
    CARD_DAILY = "card_daily", _("One card on too many receipts a day")
    CARD_STORES = "card_stores", _("One card across many stores")
    CARD_CONCENTRATION = "card_concentration", _("A few cards carry the store's receipts")
    CASHIER_SHARE = "cashier_share", _("A cashier's identified share far above the store's")
    STORE_JUMP = "store_jump", _("A sudden jump against the store's own trend")
    ENROLMENT_PHONES = "enrolment_phones", _("Repeated or invalid phones at enrolment")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open: holds awards")
    CLEARED = "cleared", _("Cleared")
    CONFIRMED = "confirmed", _("Confirmed: abuse")


HOLDING_FLAG = (FlagStatus.OPEN, FlagStatus.CONFIRMED)


class SchemeEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    SUSPENDED = "suspended", _("Suspended itself: the plan held")
    RESUMED = "resumed", _("Resumed itself: the plan slipped")
    ARCHIVED = "archived", _("Archived")


class StatementEventKind(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    RESTATED = "restated", _("Restated")
    OPENED = "opened", _("Opened for disputes")
    DISPUTED = "disputed", _("Line disputed")
    DISPUTE_ACCEPTED = "dispute_accepted", _("Dispute accepted")
    DISPUTE_REJECTED = "dispute_rejected", _("Dispute rejected")
    REGION_APPROVED = "region_approved", _("Approved by the regional manager")
    LOCKED = "locked", _("Approved by HQ and locked")
    ADJUSTMENT_FILED = "adjustment_filed", _("Correction filed for the next period")
    EXPORTED = "exported", _("Payroll file downloaded")


class FlagEventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    CLEARED = "cleared", _("Cleared")
    CONFIRMED = "confirmed", _("Confirmed")
