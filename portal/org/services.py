"""Writes to the organisation: regions, stores, people, and the CSV imports.

Every function here is atomic and leaves an `OrgEvent` row per change. Imports are
all-or-nothing and idempotent: re-importing the same file changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.events.changes import jsonable
from portal.events.services import event_record
from portal.imports.errors import RowError
from portal.imports.log import intake_logged
from portal.org.choices import OrgEventKind, Role
from portal.org.import_csv import (
    PersonRow,
    StoreRow,
    parse_person_rows,
    parse_store_rows,
)
from portal.org.models import OrgEvent, Region, Store, User
from portal.org.rules import CONTENT_OWNER_ROLES


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated


def _apply_fields(instance: Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set changed fields on `instance`; return {field: [old, new]} for the event row."""
    diff = {}
    for name, new in values.items():
        old = getattr(instance, name)
        if old != new:
            diff[name] = [jsonable(old), jsonable(new)]
            setattr(instance, name, new)
    return diff


def _event(kind: str, *, actor: User | None, **refs: Any) -> OrgEvent:
    payload = refs.pop("payload", {})
    return event_record(OrgEvent, kind=kind, actor=actor, payload=payload, **refs)


def region_upsert(*, actor: User | None, code: str, name: str) -> tuple[Region, str]:
    region = Region.objects.filter(code=code).first()
    if region is None:
        region = Region.objects.create(code=code, name=name)
        _event(OrgEventKind.REGION_CREATED, actor=actor, region=region)
        return region, "created"
    diff = _apply_fields(region, {"name": name})
    if not diff:
        return region, "unchanged"
    region.save(update_fields=list(diff))
    _event(OrgEventKind.REGION_UPDATED, actor=actor, region=region, payload=diff)
    return region, "updated"


def store_upsert(*, actor: User | None, region: Region, row: StoreRow) -> tuple[Store, str]:
    values = {
        "region": region,
        "name": row.name,
        "city": row.city,
        "address": row.address,
        "format": row.format,
        "opened_on": row.opened_on,
        "lp_launch_date": row.lp_launch_date,
        "is_active": row.is_active,
    }
    store = Store.objects.filter(code=row.code).first()
    if store is None:
        store = Store.objects.create(code=row.code, **values)
        _event(OrgEventKind.STORE_CREATED, actor=actor, store=store)
        return store, "created"
    diff = _apply_fields(store, values)
    if not diff:
        return store, "unchanged"
    store.save(update_fields=list(diff))
    _event(OrgEventKind.STORE_UPDATED, actor=actor, store=store, payload=diff)
    return store, "updated"


def role_group(role: str) -> Group:
    """The auth group of a role (named by its code); content owners may enter /cms/."""
    group, created = Group.objects.get_or_create(name=role)
    if created and role in CONTENT_OWNER_ROLES:
        access = Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ).first()
        if access:
            group.permissions.add(access)
    return group


def person_access_sync(*, person: User) -> dict[str, list[bool]]:
    """Make the flags and the group follow the role; the role is the only source of truth.

    Administrators (and only they) are staff and superusers of both admin sites; everyone
    has exactly the group of their role. Returns {flag: [old, new]} for the event row of
    the change that called it (empty when the flags were already right).
    """
    is_admin = person.role == Role.ADMIN
    diff = _apply_fields(person, {"is_staff": is_admin, "is_superuser": is_admin})
    if diff:
        person.save(update_fields=list(diff))
    person.groups.set([role_group(person.role)])
    return diff


def person_upsert(
    *, actor: User | None, row: PersonRow, store: Store | None, region: Region | None
) -> tuple[User, str]:
    values = {
        "last_name": row.last_name,
        "first_name": row.first_name,
        "middle_name": row.middle_name,
        "email": row.email,
        "role": row.role,
        "store": store,
        "region": region,
        "hire_date": row.hire_date,
        "is_active": row.is_active,
    }
    person = User.objects.filter(personnel_number=row.personnel_number).first()
    if person is None:
        person = User(
            personnel_number=row.personnel_number,
            position_since=row.hire_date or timezone.localdate(),
            **values,
        )
        # People set their own password through the reset link sent to their e-mail,
        # or, without one, with an activation code from their store manager.
        person.set_unusable_password()
        person.save()
        person_access_sync(person=person)
        _event(OrgEventKind.PERSON_CREATED, actor=actor, person=person, store=store)
        return person, "created"
    diff = _apply_fields(person, values)
    if not diff:
        return person, "unchanged"
    if {"role", "store", "region"} & diff.keys():
        # A transfer or a new role: what that position must read is due from today.
        diff.update(_apply_fields(person, {"position_since": timezone.localdate()}))
    person.save(update_fields=list(diff))
    if "role" in diff:
        diff.update(person_access_sync(person=person))
    kind = OrgEventKind.PERSON_UPDATED
    if diff.get("is_active") == [True, False]:
        kind = OrgEventKind.PERSON_DEACTIVATED
    _event(kind, actor=actor, person=person, store=person.store, payload=diff)
    return person, "deactivated" if kind == OrgEventKind.PERSON_DEACTIVATED else "updated"


def _count(report: ImportReport, outcome: str) -> None:
    report.rows += 1
    if outcome == "deactivated":
        report.deactivated += 1
        report.updated += 1
    else:
        setattr(report, outcome, getattr(report, outcome) + 1)


def org_stores_import(*, actor: User | None, content: bytes, filename: str = "") -> ImportReport:
    """Create or update regions and stores from a CSV file. All rows or none: any
    problem raises `ImportRejected` listing every problem of the file. Either way the
    file is in the batch log (`portal.imports.log`)."""
    with intake_logged(kind="stores", filename=filename, actor=actor) as intake:
        parsed = parse_store_rows(content)
        parsed.reject_if_any()
        report = _stores_apply(actor=actor, rows=parsed.rows, filename=filename)
        intake.rows = report.rows
    return report


@transaction.atomic
def _stores_apply(*, actor: User | None, rows: list[StoreRow], filename: str) -> ImportReport:
    report = ImportReport(kind="stores")
    regions: dict[str, Region] = {}
    for row in rows:
        if row.region_code not in regions:
            regions[row.region_code], _outcome = region_upsert(
                actor=actor, code=row.region_code, name=row.region_name
            )
        _store, outcome = store_upsert(actor=actor, region=regions[row.region_code], row=row)
        _count(report, outcome)
    _event(
        OrgEventKind.IMPORT_APPLIED,
        actor=actor,
        payload={"file": filename, **_report_payload(report)},
    )
    return report


def _report_payload(report: ImportReport) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "deactivated": report.deactivated,
    }


def _people_references(
    rows: list[PersonRow],
) -> tuple[dict[str, Store], dict[str, Region], list[RowError]]:
    """Resolve store and region codes and e-mail ownership in three queries: the
    stores and regions found, and a problem for each reference that fails."""
    errors: list[RowError] = []
    stores = {s.code: s for s in Store.objects.filter(code__in={r.store_code for r in rows})}
    regions = {r.code: r for r in Region.objects.filter(code__in={r.region_code for r in rows})}
    owners = dict(
        User.objects.filter(email__in={r.email for r in rows if r.email}).values_list(
            "email", "personnel_number"
        )
    )
    for row in rows:
        if row.store_code and row.store_code not in stores:
            errors.append(
                RowError(
                    row.line,
                    "store_code",
                    _("unknown store code '%(code)s'") % {"code": row.store_code},
                )
            )
        if row.region_code and row.region_code not in regions:
            errors.append(
                RowError(
                    row.line,
                    "region_code",
                    _("unknown region code '%(code)s'") % {"code": row.region_code},
                )
            )
        owner = owners.get(row.email) if row.email else None
        if owner and owner != row.personnel_number:
            errors.append(
                RowError(
                    row.line,
                    "email",
                    _("e-mail %(email)s belongs to personnel number %(number)s")
                    % {"email": row.email, "number": owner},
                )
            )
    return stores, regions, errors


def org_people_import(*, actor: User | None, content: bytes, filename: str = "") -> ImportReport:
    """Create or update people from a CSV file, keyed by personnel number. All rows or
    none: any problem raises `ImportRejected` listing every problem of the file in one
    pass, values and references alike. Either way the file is in the batch log."""
    with intake_logged(kind="people", filename=filename, actor=actor) as intake:
        parsed = parse_person_rows(content)
        stores, regions, problems = _people_references(parsed.rows)
        parsed.reject_if_any(problems)
        report = _people_apply(
            actor=actor, rows=parsed.rows, stores=stores, regions=regions, filename=filename
        )
        intake.rows = report.rows
    return report


@transaction.atomic
def _people_apply(
    *,
    actor: User | None,
    rows: list[PersonRow],
    stores: dict[str, Store],
    regions: dict[str, Region],
    filename: str,
) -> ImportReport:
    report = ImportReport(kind="people")
    for row in rows:
        # Store people belong to their store's region; only others carry a region.
        store = stores.get(row.store_code)
        region = None if store else regions.get(row.region_code)
        _person, outcome = person_upsert(actor=actor, row=row, store=store, region=region)
        _count(report, outcome)
    _event(
        OrgEventKind.IMPORT_APPLIED,
        actor=actor,
        payload={"file": filename, **_report_payload(report)},
    )
    return report


def person_password_set(*, actor: User | None, person: User, password: str) -> bool:
    """Set a password; no write when it is already the same (keeps `seed_demo` idempotent)."""
    if person.has_usable_password() and person.check_password(password):
        return False
    person.set_password(password)
    person.save(update_fields=["password"])
    _event(
        OrgEventKind.PERSON_UPDATED,
        actor=actor,
        person=person,
        store=person.store,
        payload={"password": "set"},
    )
    return True


def person_admin_saved(*, actor: User, person: User, created: bool, changed: list[str]) -> None:
    """Record a change made in Django's admin and keep the person's access in step."""
    if not created and not changed:
        return
    moved = created or {"role", "store", "region"} & set(changed)
    if moved and "position_since" not in changed:
        today = timezone.localdate()
        person.position_since = (person.hire_date or today) if created else today
        person.save(update_fields=["position_since"])
    flags = person_access_sync(person=person)
    changed = [name for name in changed if not name.startswith("password")] + list(flags)
    if created:
        kind = OrgEventKind.PERSON_CREATED
    elif "is_active" in changed and not person.is_active:
        kind = OrgEventKind.PERSON_DEACTIVATED
    else:
        kind = OrgEventKind.PERSON_UPDATED
    _event(kind, actor=actor, person=person, store=person.store, payload={"fields": changed})
