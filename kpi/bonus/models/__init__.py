from kpi.bonus.models.flags import AbuseFlag, FlagEvent
from kpi.bonus.models.schemes import Scheme, SchemeEvent, ScorecardWeights, StaffTerms
from kpi.bonus.models.statements import (
    Adjustment,
    Dispute,
    Line,
    Statement,
    StatementEvent,
    StoreResult,
)

__all__ = [
    "AbuseFlag",
    "Adjustment",
    "Dispute",
    "FlagEvent",
    "Line",
    "Scheme",
    "SchemeEvent",
    "ScorecardWeights",
    "StaffTerms",
    "Statement",
    "StatementEvent",
    "StoreResult",
]
