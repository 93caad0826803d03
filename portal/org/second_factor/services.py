"""Writes and reads of the second factor. The crypto is django-otp's; nothing here hashes."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.events.services import event_record
from portal.org.choices import OrgEventKind
from portal.org.models import OrgEvent, User
from portal.org.rules import needs_second_factor

RECOVERY_DEVICE_NAME = "recovery codes"


def second_factor_required(user) -> bool:
    """Whether this (possibly anonymous) user must pass a second factor to use the portal."""
    return needs_second_factor.test(user)


def totp_device_confirmed(*, person: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=True).first()


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link of the device as an inline SVG QR code."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def totp_enrolment_start(*, person: User, secret: str | None = None) -> TOTPDevice:
    """The person's authenticator waiting for confirmation, created on first call.

    Idempotent: the enrolment page shows the same secret until it is confirmed. `secret`
    (base32) is only for the demo's documented accounts; otherwise django-otp draws one.
    """
    device = TOTPDevice.objects.filter(user=person, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=person, name="authenticator", confirmed=False)
    if secret is not None:
        padded = secret + "=" * (-len(secret) % 8)
        device.key = base64.b32decode(padded).hex()
    device.save()
    return device


def _event(kind: str, *, actor: User | None, person: User, **payload) -> None:
    event_record(
        OrgEvent, kind=kind, actor=actor, person=person, store=person.store, payload=payload
    )


def _recovery_codes_issue(*, person: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=person, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(settings.SECOND_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_enrolment_confirm(*, person: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; None when the code is wrong.

    On success the device is confirmed, a fresh set of recovery codes replaces any old one
    (returned once, to be printed or saved) and an event row is written.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=person)
    if device.confirmed or not device.verify_token(_clean(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_issue(person=person)
    _event(OrgEventKind.SECOND_FACTOR_ENROLLED, actor=person, person=person)
    return codes


@transaction.atomic
def recovery_codes_renew(*, person: User) -> list[str]:
    """Replace the person's recovery codes with a new set (the old ones stop working)."""
    codes = _recovery_codes_issue(person=person)
    _event(OrgEventKind.SECOND_FACTOR_CODES_RENEWED, actor=person, person=person)
    return codes


def recovery_codes_left(*, person: User) -> int:
    return StaticToken.objects.filter(device__user=person).count()


def _clean(token: str) -> str:
    return "".join(token.split()).lower()


def second_factor_check(*, person: User, token: str) -> Device | None:
    """The device that accepts `token` (an app code, or a recovery code, used up), or None.

    django-otp throttles each device after wrong codes, so guessing is slowed down.
    """
    token = _clean(token)
    devices = [totp_device_confirmed(person=person)]
    devices += list(StaticDevice.objects.filter(user=person, confirmed=True))
    for device in devices:
        if device is not None and verify_token(person, device.persistent_id, token):
            if isinstance(device, StaticDevice):
                _event(OrgEventKind.SECOND_FACTOR_RECOVERY_USED, actor=person, person=person)
            return device
    return None


@transaction.atomic
def second_factor_reset(*, actor: User, person: User) -> None:
    """Remove the person's authenticator and recovery codes; they enrol again at next login.

    Sessions verified with the removed devices stop counting as verified at once.
    """
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    _event(OrgEventKind.SECOND_FACTOR_RESET, actor=actor, person=person)


def second_factor_enrol_with_secret(*, person: User, secret: str) -> bool:
    """Enrol `person` with a known secret through the real confirmation (demo accounts).

    Idempotent: nothing changes when the person already has that secret; returns whether
    anything was written.
    """
    current = totp_device_confirmed(person=person)
    if current is not None and totp_secret(current) == secret:
        return False
    if current is not None:
        second_factor_reset(actor=None, person=person)
    device = totp_enrolment_start(person=person, secret=secret)
    codes = totp_enrolment_confirm(person=person, device=device, token=totp_code_now(secret))
    return codes is not None


def totp_code_now(secret: str, *, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app shows for `secret` (demo and tests)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=steps_ahead):06d}"
