"""The channels a notification goes by besides the inbox: e-mail, and SMS/messenger.

Each channel says where a person can be reached (`address_of`, None: not by this channel)
and sends one message holding a person's pending notifications (one digest per run, as
the reminders always did). The SMS/messenger channel is a class named by the
`NOTIFY_MESSENGER_SENDER` setting (empty: off); `ConsoleSender`, the default, logs the text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.notify.choices import Channel
from portal.notify.models import Notification
from portal.org.models import User

logger = logging.getLogger(__name__)


class MessengerSender(Protocol):
    """What `NOTIFY_MESSENGER_SENDER` names: an SMS or messenger gateway."""

    def address_of(self, person: User) -> str | None: ...

    def send(self, *, address: str, text: str) -> None: ...


class ConsoleSender:
    """Logs the text instead of sending it: the default until a gateway is configured."""

    def address_of(self, person: User) -> str | None:
        return person.personnel_number or None

    def send(self, *, address: str, text: str) -> None:
        logger.info("messenger to %s: %s", address, text)


def _absolute(url: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL}{url}" if url.startswith("/") else url


class EmailChannel:
    code = Channel.EMAIL

    def address_of(self, person: User) -> str | None:
        return person.email or None

    def send(self, *, person: User, address: str, notifications: Sequence[Notification]) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            if len(notifications) == 1:
                subject = _("LP portal: %(title)s") % {"title": notifications[0].title}
            else:
                subject = ngettext(
                    "LP portal: %(count)d new notification",
                    "LP portal: %(count)d new notifications",
                    len(notifications),
                ) % {"count": len(notifications)}
            entries = [(n, _absolute(n.url) if n.url else "") for n in notifications]
            message = render_to_string(
                "email/notify/digest.txt",
                {
                    "person": person,
                    "entries": entries,
                    "inbox_url": _absolute("/inbox/"),
                },
            )
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[address])


class MessengerChannel:
    code = Channel.MESSENGER

    def __init__(self, sender: MessengerSender) -> None:
        self.sender = sender

    def address_of(self, person: User) -> str | None:
        return self.sender.address_of(person)

    def send(self, *, person: User, address: str, notifications: Sequence[Notification]) -> None:
        lines = [
            f"{n.title} {_absolute(n.url)}".strip() if n.url else n.title for n in notifications
        ]
        self.sender.send(address=address, text="\n".join(lines))


@cache
def _messenger_sender(path: str) -> MessengerSender:
    return import_string(path)()


def channels() -> list[EmailChannel | MessengerChannel]:
    """The channels in use, e-mail first."""
    found: list[EmailChannel | MessengerChannel] = [EmailChannel()]
    path = getattr(settings, "NOTIFY_MESSENGER_SENDER", "")
    if path:
        found.append(MessengerChannel(_messenger_sender(path)))
    return found


def channel_get(code: str) -> EmailChannel | MessengerChannel | None:
    return next((channel for channel in channels() if channel.code == code), None)
