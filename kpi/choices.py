"""Choices (TextChoices) of the kpi app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kpi.metrics import KPIS


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


# The plan's KPI field: codes and labels from the registry (`kpi.metrics.KPIS`).
KpiCode = models.TextChoices("KpiCode", [(kpi.code.upper(), (kpi.code, kpi.label)) for kpi in KPIS])
