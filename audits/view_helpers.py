"""What the audits' POST views share: fetch within sight and ask the rule, say a form's or
a service's problems as messages, carry a service call out and say so."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from audits.models import Visit
from audits.selectors.visits import visit_get_visible


def visit_permitted(request: HttpRequest, pk: int, perm: str) -> Visit:
    """The visit within the user's sight (404 outside it) that they may `perm` (403)."""
    visit = visit_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm(perm, visit):
        raise PermissionDenied
    return visit


def say_problems(request: HttpRequest, source: ValidationError | forms.Form) -> None:
    """Every problem of a refused service call or an invalid form, as an error message."""
    if isinstance(source, ValidationError):
        problems = source.messages
    else:
        problems = [problem for errors in source.errors.values() for problem in errors]
    for problem in problems:
        messages.error(request, problem)


def carried_out(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """Call the service; its refusal becomes error messages, its success `success`."""
    try:
        call()
    except ValidationError as error:
        say_problems(request, error)
        return False
    messages.success(request, success)
    return True
