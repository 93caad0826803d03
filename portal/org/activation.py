"""Activation codes: a first password for a person without e-mail.

A store manager (or a manager above, within their scope) issues a code for a person of
their store: eight characters from an alphabet without look-alikes (``K7QM-3XHP``),
valid `ACTIVATION_CODE_TTL_HOURS`, one use. Issuing voids the person's previous code;
`ACTIVATION_CODE_MAX_ATTEMPTS` wrong tries block it. Only a keyed hash is stored, so the
plain code exists only on the issuer's screen and slip. Every issue, use and block is an
`OrgEvent`.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.events.services import event_record
from portal.org.choices import OrgEventKind
from portal.org.models import ActivationCode, OrgEvent, User

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone
CODE_LENGTH = 8


class ActivationFailed(Exception):
    """The code cannot be used; the message says why, in words for the person."""


@dataclass(frozen=True)
class IssuedCode:
    record: ActivationCode
    code: str  # shown once, never stored


def code_normalise(text: str) -> str:
    """What a person typed, as the code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _hash(code: str) -> str:
    return salted_hmac("portal.org.activation", code_normalise(code)).hexdigest()


def may_issue(actor: User, person: User) -> bool:
    """Their store's manager or a manager above; never oneself (a superuser passes every
    rule, so that part is said here too)."""
    return actor.pk != person.pk and actor.has_perm("org.issue_activation_code", person)


@transaction.atomic
def activation_code_issue(*, actor: User, person: User) -> IssuedCode:
    """A new code for `person`, voiding any open one (see `may_issue`)."""
    if not may_issue(actor, person):
        raise PermissionDenied
    now = timezone.now()
    ActivationCode.objects.filter(person=person, used_at=None, voided_at=None).update(voided_at=now)
    code = "".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH))
    record = ActivationCode.objects.create(
        person=person,
        code_hash=_hash(code),
        issued_by=actor,
        issued_at=now,
        expires_at=now + timedelta(hours=settings.ACTIVATION_CODE_TTL_HOURS),
    )
    event_record(
        OrgEvent,
        kind=OrgEventKind.ACTIVATION_CODE_ISSUED,
        actor=actor,
        person=person,
        store=person.store,
        payload={"valid_until": record.expires_at},
    )
    return IssuedCode(record=record, code=code)


def activation_code_open(person: User) -> ActivationCode | None:
    """The person's code that may still be used, if any."""
    record = ActivationCode.objects.filter(person=person, used_at=None, voided_at=None).first()
    return record if record is not None and record.is_open() else None


def activation_code_check(*, personnel_number: str, code: str) -> ActivationCode:
    """The open code the person typed, or `ActivationFailed`. A wrong code counts
    against the person's open code (committed even though the caller fails)."""
    person = User.objects.filter(personnel_number=personnel_number.strip()).first()
    record = None
    if person is not None and person.is_active:
        record = (
            ActivationCode.objects.filter(person=person, used_at=None, voided_at=None)
            .select_related("person__store")
            .first()
        )
    if record is None or not record.is_open():
        raise ActivationFailed(
            _(
                "No valid activation code for this personnel number. "
                "Ask your store manager for a new one."
            )
        )
    if not hmac.compare_digest(record.code_hash, _hash(code)):
        _wrong_attempt(record)
        raise ActivationFailed(_("The code is wrong. Check it and try again."))
    return record


@transaction.atomic
def _wrong_attempt(record: ActivationCode) -> None:
    locked = ActivationCode.objects.select_for_update().get(pk=record.pk)
    locked.failed_attempts += 1
    fields = ["failed_attempts"]
    if locked.failed_attempts >= settings.ACTIVATION_CODE_MAX_ATTEMPTS:
        locked.voided_at = timezone.now()
        fields.append("voided_at")
        event_record(
            OrgEvent,
            kind=OrgEventKind.ACTIVATION_CODE_BLOCKED,
            actor=None,
            person=locked.person,
            store=locked.person.store,
            payload={"failed_attempts": locked.failed_attempts},
        )
    locked.save(update_fields=fields)


def activation_complete(*, personnel_number: str, code: str, password: str) -> User:
    """Check the code, set the person's password (Django's validators) and use the code
    up. Raises `ActivationFailed` or `ValidationError` (the password's problems). The
    check runs outside the transaction so that a wrong try is counted even though the
    call fails."""
    record = activation_code_check(personnel_number=personnel_number, code=code)
    validate_password(password, record.person)
    with transaction.atomic():
        return _activate(record.pk, password)


def _activate(record_pk: int, password: str) -> User:
    record = ActivationCode.objects.select_for_update().select_related("person").get(pk=record_pk)
    if not record.is_open():  # used by a request that won the race
        raise ActivationFailed(_("This activation code has already been used."))
    person = record.person
    person.set_password(password)
    person.save(update_fields=["password"])
    record.used_at = timezone.now()
    record.save(update_fields=["used_at"])
    event_record(
        OrgEvent,
        kind=OrgEventKind.ACTIVATION_CODE_USED,
        actor=person,
        person=person,
        store=person.store,
        payload={"issued_by": record.issued_by_id},
    )
    return person
