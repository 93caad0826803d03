from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Courses, question bank, exams, attempts and certificates."""

    name = "training"
    verbose_name = _("Training")
