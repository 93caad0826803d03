"""E-mail backends that fail like a mail server can: the external boundary of notify."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class WorkerStopped(BaseException):
    """What a worker being stopped looks like from inside the task (not an Exception)."""


class _CountingBackend(EmailBackend):
    calls = 0
    fail_on = 3

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).calls == self.fail_on:
            self.fail()
        return super().send_messages(messages)

    def fail(self) -> None:
        raise NotImplementedError


class RefusesThirdMessage(_CountingBackend):
    """The mail server refuses the third message (and accepts the others)."""

    def fail(self) -> None:
        raise smtplib.SMTPServerDisconnected("connection lost")


class KilledOnThirdMessage(_CountingBackend):
    """The worker is stopped while sending the third message: the task ends there."""

    def fail(self) -> None:
        raise WorkerStopped
