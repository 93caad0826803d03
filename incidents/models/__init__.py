"""Models of the incidents app: the complaint desk (queues, calendars, SLA policies,
canned replies, tickets and what happens to them) and the «Акции» pages."""

from incidents.models.desk import CannedReply, IntakeChannel, Queue, SlaCalendar, SlaPolicy
from incidents.models.promotions import PromotionIndexPage, PromotionPage
from incidents.models.tickets import (
    CreditRequest,
    PersonalDataAccess,
    SlaPause,
    Ticket,
    TicketAttachment,
    TicketEvent,
    TicketMessage,
)

__all__ = [
    "CannedReply",
    "CreditRequest",
    "IntakeChannel",
    "PersonalDataAccess",
    "PromotionIndexPage",
    "PromotionPage",
    "Queue",
    "SlaCalendar",
    "SlaPause",
    "SlaPolicy",
    "Ticket",
    "TicketAttachment",
    "TicketEvent",
    "TicketMessage",
]
