from portal.sop.models.pages import ReadablePage, ScriptPage, SopIndexPage, SopPage
from portal.sop.models.records import Acknowledgement, Responsibility, SopReminder, SopVersion
from portal.sop.models.review import SopReviewTask

__all__ = [
    "Acknowledgement",
    "ReadablePage",
    "Responsibility",
    "ScriptPage",
    "SopIndexPage",
    "SopPage",
    "SopReminder",
    "SopReviewTask",
    "SopVersion",
]
