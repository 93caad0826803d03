"""HQ's weights of the store scorecard. A change writes a new `ScorecardWeights` row (the
latest applies): the rows, with who changed them and when, are the history, so no event
table is needed (there is no scheme to hang an event on)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.bonus.models import ScorecardWeights
from kpi.bonus.selectors.scorecard import COMPONENTS, KEYS

WEIGHT_MAX = 100


def _problems(weights: dict[str, object]) -> list[str]:
    problems = []
    unknown = sorted(set(weights) - set(KEYS))
    if unknown:
        problems.append(_("Unknown components: %(names)s.") % {"names": ", ".join(unknown)})
    for component in COMPONENTS:
        value = weights.get(component.key)
        if type(value) is not int or not 0 <= value <= WEIGHT_MAX:
            problems.append(
                _("%(component)s: a weight is a whole number from 0 to 100.")
                % {"component": component.label}
            )
    if not problems and not any(weights[key] for key in KEYS):
        problems.append(_("At least one weight must be above zero."))
    return problems


@transaction.atomic
def scorecard_weights_set(*, actor, **weights: int) -> ScorecardWeights:
    """New weights for the scorecard, from now on (HQ only: `bonus.set_weights`). Every
    component's weight is given, a whole number from 0 to 100, at least one above zero;
    otherwise ValidationError naming each problem and nothing written. Atomic; the row
    keeps who changed the weights and when."""
    if not actor.has_perm("bonus.set_weights"):
        raise PermissionDenied
    problems = _problems(weights)
    if problems:
        raise ValidationError(problems)
    return ScorecardWeights.objects.create(
        **{key: weights[key] for key in KEYS}, changed_by=actor, changed_at=timezone.now()
    )
