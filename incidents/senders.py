"""Who carries replies to customers. The desk calls `reply_sender()`; the class comes from
`INCIDENTS_REPLY_SENDER` (e-mail through Django's mail backend by default: the console in
development). Another carrier (an SMS gateway, a messenger) is a class with `send`."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string


class Sender(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


class EmailSender:
    def send(self, *, to: str, subject: str, body: str) -> None:
        EmailMessage(subject=subject, body=body, to=[to]).send()


def reply_sender() -> Sender:
    return import_string(settings.INCIDENTS_REPLY_SENDER)()
