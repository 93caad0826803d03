"""Models of the audits app: checklists (templates and their frozen versions), visits
(planned, assigned, filled in, reviewed, published) and what the store does about them."""

from audits.models.checklists import (
    Checklist,
    ChecklistEvent,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistVersion,
)
from audits.models.facts import QuestionFact, ScoreFact
from audits.models.responses import Appeal, CorrectiveAction
from audits.models.visits import Visit, VisitAnswer, VisitEvent, VisitPhoto, VisitPlan

__all__ = [
    "Appeal",
    "Checklist",
    "ChecklistEvent",
    "ChecklistQuestion",
    "ChecklistSection",
    "ChecklistVersion",
    "CorrectiveAction",
    "QuestionFact",
    "ScoreFact",
    "Visit",
    "VisitAnswer",
    "VisitEvent",
    "VisitPhoto",
    "VisitPlan",
]
