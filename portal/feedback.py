"""What every room's POST views share: say a form's or a refused service call's problems
as messages, and carry a service call out and say so."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


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


def form_carried_out(
    request: HttpRequest,
    form: forms.Form,
    call: Callable[[dict], object],
    success: str | Callable[[dict], str],
) -> bool:
    """A POST form's whole round: an invalid form's problems said, else the service called
    with its cleaned data (`carried_out`), `success` (or `success(data)`) said."""
    if not form.is_valid():
        say_problems(request, form)
        return False
    data = form.cleaned_data
    said = success(data) if callable(success) else success
    return carried_out(request, lambda: call(data), said)
