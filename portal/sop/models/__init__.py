from portal.sop.models.pages import ReadablePage, ScriptPage, SopIndexPage, SopPage
from portal.sop.models.records import Acknowledgement, Responsibility, SopReminder, SopVersion

__all__ = [
    "Acknowledgement",
    "ReadablePage",
    "Responsibility",
    "ScriptPage",
    "SopIndexPage",
    "SopPage",
    "SopReminder",
    "SopVersion",
]
