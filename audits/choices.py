"""Choices (TextChoices) of the audits app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ChecklistEventKind(models.TextChoices):
    CREATED = "created", _("Checklist created")
    PUBLISHED = "published", _("Checklist published")


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Scale 0–4")
    NUMERIC = "numeric", _("Number")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")
    PHOTO = "photo", _("Photo")


class Critical(models.TextChoices):
    """What a failed answer to the question fails besides its points."""

    NO = "", _("Not critical")
    SECTION = "section", _("Fails its section")
    VISIT = "visit", _("Fails the visit")


class PosFact(models.TextChoices):
    """What a question's «yes» says about the shopper's receipt, checked in the POS data."""

    NONE = "", _("Not checked against the till")
    IDENTIFIED = "identified", _("«Yes» means the receipt was identified (card or phone)")


class VisitReason(models.TextChoices):
    LAUNCH = "launch", _("Two days after the LP launch")
    PLAN = "plan", _("Visit plan")
    RECHECK = "recheck", _("Re-check after a failed visit")


class VisitStatus(models.TextChoices):
    """Planned (no auditor) → assigned → draft (being filled in) → submitted → published;
    a returned visit goes back to its auditor for correction."""

    PLANNED = "planned", _("Planned")
    ASSIGNED = "assigned", _("Assigned")
    DRAFT = "draft", _("Being filled in")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for correction")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


# What the auditor may still change; what the store may see.
VISIT_OPEN = (VisitStatus.ASSIGNED, VisitStatus.DRAFT, VisitStatus.RETURNED)


class ReceiptCheck(models.TextChoices):
    """The shopper's receipt looked up in the store's POS receipts."""

    PENDING = "pending", _("Not checked yet")
    FOUND = "found", _("Receipt found")
    NOT_FOUND = "not_found", _("Receipt not found")
    NOT_LOADED = "not_loaded", _("The store's receipts for that day are not loaded yet")


class VisitEventKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Visit scheduled")
    RESCHEDULED = "rescheduled", _("Visit rescheduled")
    ASSIGNED = "assigned", _("Auditor assigned")
    STARTED = "started", _("Filling in started")
    SUBMITTED = "submitted", _("Submitted")
    RECEIPT_CHECKED = "receipt_checked", _("Receipt checked in the POS data")
    RETURNED = "returned", _("Returned for correction")
    PUBLISHED = "published", _("Approved and published")
    CORRECTED = "corrected", _("Answer corrected")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the store")
    APPEALED = "appealed", _("Item appealed")
    APPEAL_ACCEPTED = "appeal_accepted", _("Appeal accepted")
    APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected")
    CANCELLED = "cancelled", _("Visit cancelled")
    FOLLOWED_UP = "followed_up", _("Staff asked to read again and retest")
    ACTION_OPENED = "action_opened", _("Corrective action opened")
    ACTION_DONE = "action_done", _("Corrective action done")
    ACTION_VERIFIED = "action_verified", _("Corrective action verified")
    ACTION_REOPENED = "action_reopened", _("Corrective action sent back")


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done, waiting for verification")
    VERIFIED = "verified", _("Verified")
