from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    MATERIAL = "material", _("Material: everyone in the audience confirms again")
    MINOR = "minor", _("Minor: no new confirmation")


class Aspect(models.TextChoices):
    """The aspects of the LP that named people are responsible for (DOMAIN.md)."""

    OVERALL = "overall", _("The loyalty programme as a whole")
    TRAINING_CONTROL = "training_control", _("Staff training and control, incl. abuse")
    SUPPLY = "supply", _("Supply of cards, questionnaires and promo materials")
    CUSTOMER_WORK = "customer_work", _("Customer work: hotline and in-store")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support: internet and POS software")


class ComplaintCategory(models.TextChoices):
    """Typical customer questions; the incidents app files tickets under the same codes."""

    LOST_CARD = "lost_card", _("Lost card and blocking it")
    ACCOUNT_LOGIN = "account_login", _("Logging in to the personal account")
    QUESTIONNAIRE = "questionnaire", _("Filling in the questionnaire")
    BONUS_NOT_CREDITED = "bonus_not_credited", _("Bonus points not credited")
    PROMOTIONS = "promotions", _("Questions about promotions")
    IN_STORE_COMPLAINT = "in_store_complaint", _("Complaint in the store")
    OTHER = "other", _("Other")


class CalloutKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    IMPORTANT = "important", _("Important")
    INFO = "info", _("Note")


class ReadingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    TO_READ = "to_read", _("To read")
    RECONFIRM = "reconfirm", _("Changed: confirm again")
    OVERDUE = "overdue", _("Overdue")
