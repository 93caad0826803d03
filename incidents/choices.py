"""Choices (TextChoices) of the incidents app: the complaint desk."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Category(models.TextChoices):
    """The customer questions of the domain (DOMAIN.md); each has its script page."""

    LOST_CARD = "lost_card", _("Lost card and blocking it")
    ACCOUNT_LOGIN = "account_login", _("Logging in to the personal account")
    QUESTIONNAIRE = "questionnaire", _("Filling in the questionnaire")
    BONUS_NOT_CREDITED = "bonus_not_credited", _("Bonus points not credited")
    PROMOTIONS = "promotions", _("Questions about promotions")
    STAFF_BEHAVIOUR = "staff_behaviour", _("Staff behaviour")
    OTHER = "other", _("Other")


# The script page (`portal.sop` ScriptPage.category) shown beside a ticket of a category.
SCRIPT_CATEGORY = {
    Category.LOST_CARD: "lost_card",
    Category.ACCOUNT_LOGIN: "account_login",
    Category.QUESTIONNAIRE: "questionnaire",
    Category.BONUS_NOT_CREDITED: "bonus_not_credited",
    Category.PROMOTIONS: "promotions",
    Category.STAFF_BEHAVIOUR: "in_store_complaint",
    Category.OTHER: "in_store_complaint",
}


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Channel(models.TextChoices):
    PHONE = "phone", _("Hotline call")
    STORE = "store", _("In the store")
    WEB = "web", _("Public form")
    API = "api", _("Other channel (API)")


class Status(models.TextChoices):
    """new → assigned → in progress → waiting for the customer → resolved → closed; a
    resolved or closed ticket may be reopened within `INCIDENTS_REOPEN_DAYS`; a merged
    ticket lives on in the one it was merged into."""

    NEW = "new", _("New")
    ASSIGNED = "assigned", pgettext_lazy("ticket status", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("ticket status", "In progress")
    WAITING = "waiting", _("Waiting for the customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged")


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED, Status.MERGED)

# What the customer's status page says at each status (fewer words than the desk's).
PUBLIC_STATUS = {
    Status.NEW: _("Received"),
    Status.ASSIGNED: _("Received, an operator is assigned"),
    Status.IN_PROGRESS: _("Being worked on"),
    Status.WAITING: _("Waiting for your answer"),
    Status.RESOLVED: _("Resolved"),
    Status.CLOSED: _("Closed"),
    Status.MERGED: _("Joined to another request"),
}


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("From the customer")
    REPLY = "reply", _("Reply to the customer")
    NOTE = "note", _("Internal note")


class ReceiptFinding(models.TextChoices):
    """What the POS data says about the receipt of a «points not credited» ticket."""

    NONE = "", _("Not looked up")
    IDENTIFIED = "identified", _("Found, identified")
    NOT_IDENTIFIED = "not_identified", _("Found, not identified")
    NOT_FOUND = "not_found", _("Not found")
    NOT_LOADED = "not_loaded", _("The store's receipts for that day are not loaded yet")


class ResolutionCode(models.TextChoices):
    EXPLAINED = "explained", _("Explained to the customer")
    POINTS_DUE = "points_due", _("Points are on their way (crediting delay)")
    CREDITED = "credited", _("Points credited by hand")
    CARD_BLOCKED = "card_blocked", _("Card blocked, balance moved")
    ACCESS_RESTORED = "access_restored", _("Access to the account restored")
    STORE_ACTION = "store_action", _("The store took action")
    REFUSED = "refused", _("Refused with reasons")
    DUPLICATE = "duplicate", _("Duplicate")
    NO_ANSWER = "no_answer", _("The customer did not answer")


class RootCause(models.TextChoices):
    CUSTOMER_MISTAKE = "customer_mistake", _("The customer counted differently")
    CASHIER_NOT_IDENTIFIED = "cashier_not_identified", _("The cashier did not identify the receipt")
    CREDITING_DELAY = "crediting_delay", _("Points not yet active (crediting delay)")
    IT_FAILURE = "it_failure", _("POS or IT failure")
    STAFF_CONDUCT = "staff_conduct", _("Staff conduct")
    PROMO_RULES = "promo_rules", _("Promotion rules unclear")
    APP_OR_SMS = "app_or_sms", _("App or SMS code problem")
    OTHER = "other", _("Other")


class CreditStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the supervisor")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Escalation(models.IntegerChoices):
    NONE = 0, _("Agent")
    SUPERVISOR = 1, _("Supervisor")
    REGIONAL = 2, _("Regional manager")


class TicketEventKind(models.TextChoices):
    CREATED = "created", _("Ticket filed")
    ASSIGNED = "assigned", _("Assigned")
    STATUS = "status", _("Status changed")
    REPLIED = "replied", _("Reply sent to the customer")
    NOTED = "noted", _("Internal note")
    CUSTOMER_WROTE = "customer_wrote", _("The customer wrote")
    ATTACHED = "attached", _("File attached")
    RECEIPT_CHECKED = "receipt_checked", _("Receipt looked up")
    CREDIT_REQUESTED = "credit_requested", _("Manual credit requested")
    CREDIT_DECIDED = "credit_decided", _("Manual credit decided")
    PAUSED = "paused", _("SLA clock paused")
    RESUMED = "resumed", _("SLA clock resumed")
    ESCALATED = "escalated", _("Escalated")
    BREACHED = "breached", _("SLA target missed")
    MERGED = "merged", _("Merged")
    CHANGED = "changed", _("Details changed")
    REOPENED = "reopened", _("Reopened")
    RATED = "rated", _("Customer rated the resolution")
    ANONYMISED = "anonymised", _("Personal data anonymised")


# The structured fields of each category (`Ticket.details`): the questions the script asks
# first. A key, its label and, for a choice, its options (empty: free text).
CATEGORY_FIELDS: dict[str, list[tuple[str, object, list[tuple[str, object]]]]] = {
    Category.LOST_CARD: [
        (
            "blocked",
            _("Is the card blocked?"),
            [("yes", _("Blocked")), ("no", _("Not yet")), ("unknown", _("Unknown"))],
        ),
        ("balance_moved", _("Balance moved to a new card"), [("yes", _("Yes")), ("no", _("No"))]),
    ],
    Category.ACCOUNT_LOGIN: [
        (
            "problem",
            _("What goes wrong"),
            [
                ("no_code", _("The SMS code does not come")),
                ("not_registered", _("«Number not registered»")),
                ("changed_number", _("The phone number has changed")),
                ("other", _("Something else")),
            ],
        ),
    ],
    Category.QUESTIONNAIRE: [
        (
            "where",
            _("Where it was filled in"),
            [
                ("paper", _("On paper in the store")),
                ("app", _("In the app")),
                ("none", _("Not yet")),
            ],
        ),
    ],
    Category.BONUS_NOT_CREDITED: [],  # the receipt's own fields and the guided lookup
    Category.PROMOTIONS: [("promotion", _("Which promotion"), [])],
    Category.STAFF_BEHAVIOUR: [
        ("when", _("When it happened"), []),
        ("staff_described", _("Who (as the customer describes them)"), []),
    ],
    Category.OTHER: [],
}
