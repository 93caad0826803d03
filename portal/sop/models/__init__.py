from portal.sop.models.facts import ComplianceChange, ComplianceDay, CompliancePageCount
from portal.sop.models.pages import ReadablePage, ScriptPage, SopIndexPage, SopPage
from portal.sop.models.records import (
    Acknowledgement,
    RereadRequest,
    Responsibility,
    SopVersion,
)
from portal.sop.models.review import SopReviewTask

__all__ = [
    "Acknowledgement",
    "ComplianceChange",
    "ComplianceDay",
    "CompliancePageCount",
    "ReadablePage",
    "RereadRequest",
    "Responsibility",
    "ScriptPage",
    "SopIndexPage",
    "SopPage",
    "SopReviewTask",
    "SopVersion",
]
