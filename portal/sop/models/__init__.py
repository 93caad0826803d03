from portal.sop.models.pages import ReadablePage, ScriptPage, SopIndexPage, SopPage
from portal.sop.models.records import Acknowledgement, Responsibility, SopVersion
from portal.sop.models.review import SopReviewTask

__all__ = [
    "Acknowledgement",
    "ReadablePage",
    "Responsibility",
    "ScriptPage",
    "SopIndexPage",
    "SopPage",
    "SopReviewTask",
    "SopVersion",
]
