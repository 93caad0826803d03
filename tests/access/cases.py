"""The access matrix's vocabulary: outcomes, cases, and the objects cases point at."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from conftest import World
from portal.org.choices import Role

LOGIN = "login"
ANON = "anonymous"
R = Role
ALL_ROLES = list(Role.values)
HQ = [R.LP_MANAGER, R.ADMIN, R.CALL_CENTER_AGENT, R.CALL_CENTER_SUPERVISOR]
# The hotline's scope is the store directory (code, name, address, region) of the whole
# network and nothing else of a store: its people, KPIs, compliance and certificates are
# outside that scope (404, like any row outside a scope).
CC_FORBIDDEN = {R.CALL_CENTER_AGENT: 404, R.CALL_CENTER_SUPERVISOR: 404}

# URL prefixes whose own permission systems are tested in test_delegated_admin_sites.
DELEGATED_PREFIXES = ("admin/", "cms/")


def outcomes(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    table = {role: default for role in ALL_ROLES}
    table.update(overrides)
    return table


# What only HQ content owners and admins may open outside region A (hotline: 404).
ONLY_LP_AND_ADMIN = outcomes(404, lp_manager=200, admin=200, **CC_FORBIDDEN)


@dataclass
class Case:
    url_name: str
    target: str
    kwargs: Callable[[World, str], dict] = lambda w, role: {}
    expect: dict[str, int | str] = field(default_factory=lambda: outcomes(200))
    anonymous: int | str = LOGIN
    method: str = "get"
    data: dict = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)  # a variant: ?format=csv, filters

    def __str__(self) -> str:
        variant = f"?{urlencode(self.query)}" if self.query else ""
        return f"{self.url_name}{variant}[{self.target}]"


def store(code: str):
    return lambda w, role: {"code": code}


def person_of(attr: str):
    return lambda w, role: {"personnel_number": getattr(w, attr).personnel_number}


def lp_batch(world: World):
    from kpi.models import ImportBatch

    return ImportBatch.objects.get_or_create(
        filename="lp.csv", created_by=world.people[R.LP_MANAGER], source="upload", status="applied"
    )[0]


def pending_batch(world: World):
    """A new upload of the regional manager, waiting for approval."""
    from kpi.models import ImportBatch

    return ImportBatch.objects.create(
        filename="region.csv",
        created_by=world.people[R.REGIONAL_MANAGER],
        source="upload",
        status="pending",
    )


def notification_of(role_or_attr: str | None = None):
    """A notification in the inbox of the person of `role_or_attr` (None: the role's own)."""

    def kwargs(world: World, role: str) -> dict:
        from portal.notify.models import Notification

        owner = world.people[role_or_attr or role]
        notification, _created = Notification.objects.get_or_create(
            recipient=owner, key="matrix.item:1", step=0, defaults={"title": "Проверка"}
        )
        return {"pk": notification.pk}

    return kwargs


def checklist(*, published: bool):
    """A checklist of the LP manager: the draft or the published one (made once)."""

    def kwargs(world: World, role: str) -> dict:
        from audits.models import Checklist
        from audits.tests.factories import checklist as make

        title = "Опубликованный чек-лист" if published else "Черновик чек-листа"
        found = Checklist.objects.filter(title=title).first()
        made = found or make(author=world.people[R.LP_MANAGER], title=title, published=published)
        return {"pk": made.pk}

    return kwargs


def fresh_draft_checklist(world: World, role: str) -> dict:
    """A new draft for every request (publishing it changes it for the next role)."""
    from audits.tests.factories import checklist as make

    return {"pk": make(author=world.people[R.LP_MANAGER], title=f"Черновик для {role}").pk}
