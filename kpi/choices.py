"""Choices (TextChoices) of the kpi app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchSource(models.TextChoices):
    UPLOAD = "upload", _("File upload")
    API = "api", _("POS API")
    COMMAND = "command", _("Bulk command")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
    REVERTED = "reverted", _("Reverted")


class BatchEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVERTED = "reverted", _("Reverted")


class DriftStatus(models.TextChoices):
    RUNNING = "running", _("Not finished")
    CONSISTENT = "consistent", _("Consistent")
    DRIFT = "drift", _("Drift found and repaired")


class KpiCode(models.TextChoices):
    """Codes of the KPIs defined in `kpi.metrics` (definitions live there)."""

    PENETRATION = "penetration", _("LP penetration")
    CONTACT_CAPTURE = "contact_capture", _("Contact capture")
    LP_TURNOVER_SHARE = "lp_turnover_share", _("LP share of turnover")
    AVERAGE_RECEIPT = "average_receipt", _("Average receipt")
    AVERAGE_LP_RECEIPT = "average_lp_receipt", _("Average LP receipt")
    ITEMS_PER_RECEIPT = "items_per_receipt", _("Items per receipt")
    RECEIPTS_PER_PARTICIPANT = "receipts_per_participant", _("Receipts per participant")
    ACTIVE_PARTICIPANTS = "active_participants", _("Active participants")
    PARTICIPANT_GROWTH = "participant_growth", _("Participant growth")
