"""What the audits' POST views share: fetch within sight and ask the rule (saying problems
and carrying a service call out come from `portal.feedback`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from audits.models import Visit
from audits.selectors.visits import visit_get_visible
from portal.feedback import carried_out as carried_out  # re-exported for the audits views
from portal.feedback import say_problems as say_problems  # re-exported


def visit_permitted(request: HttpRequest, pk: int, perm: str) -> Visit:
    """The visit within the user's sight (404 outside it) that they may `perm` (403)."""
    visit = visit_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm(perm, visit):
        raise PermissionDenied
    return visit
