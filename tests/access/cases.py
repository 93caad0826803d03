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


def _receipt_free_answers(visit) -> None:
    """Answer every question of the factories' checkout checklist and give the purchase."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from audits.services.filing import AnswerInput, answers_save, visit_details_save

    values = {"yes_no": "yes", "scale": "4", "choice": "Сам, по скрипту", "numeric": "3"}
    items = [
        AnswerInput(q.key, values.get(q.kind, ""), na=q.kind == "photo")
        for q in visit.version.questions.all()
    ]
    answers_save(auditor=visit.auditor, visit=visit, items=items)
    now = timezone.now()
    visit_details_save(
        auditor=visit.auditor,
        visit=visit,
        started_at=now - timedelta(minutes=20),
        ended_at=now - timedelta(minutes=5),
        observations="",
        receipt_number="MATRIX-1",
        receipt_at=now - timedelta(minutes=10),
        receipt_amount=Decimal("350.00"),
        reimbursement=None,
    )


def visit_in(state: str, *, store_code: str = "A1", auditor: str = "own"):
    """A visit (made once per state) at a store of the world, assigned to the world's
    auditor ("own"), to another auditor ("other") or to nobody (state "planned")."""

    def kwargs(world: World, role: str) -> dict:
        from datetime import timedelta

        from django.utils import timezone

        from audits.models import Visit
        from audits.services.filing import visit_start, visit_submit
        from audits.services.planning import visit_assign, visit_schedule
        from audits.services.review import visit_publish
        from portal.org.models import Store
        from portal.org.tests.factories import person

        marker = f"matrix-{state}-{store_code}-{auditor}"
        found = Visit.objects.filter(observations=marker).first()
        if found:
            return {"pk": found.pk}
        lp = world.people[R.LP_MANAGER]
        from audits.models import Checklist

        published = Checklist.objects.get(pk=checklist(published=True)(world, role)["pk"])
        today = timezone.localdate()
        visit = visit_schedule(
            store=Store.objects.get(code=store_code),
            checklist=published,
            reason="plan",
            not_before=today,
            due_on=today + timedelta(days=7),
        )
        Visit.objects.filter(pk=visit.pk).update(observations=marker)
        visit.refresh_from_db()
        if state != "planned":
            shopper = world.people[R.AUDITOR]
            if auditor == "other":
                shopper = person(R.AUDITOR, store=None, region=None)
            visit = visit_assign(actor=lp, visit=visit, auditor=shopper)
        if state in ("draft", "submitted", "published"):
            visit = visit_start(auditor=visit.auditor, visit=visit)
            _receipt_free_answers(visit)
            visit.refresh_from_db()
            Visit.objects.filter(pk=visit.pk).update(observations=marker)
        if state in ("submitted", "published"):
            visit = visit_submit(auditor=visit.auditor, visit=visit)
        if state == "published":
            visit = visit_publish(actor=lp, visit=visit, announce=False)
        return {"pk": visit.pk}

    return kwargs


def visit_photo_of(state: str):
    """A photo of the world auditor's visit in `state` (a path for /media/)."""

    def kwargs(world: World, role: str) -> dict:
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        from audits.models import Visit, VisitPhoto
        from audits.services.filing import photo_add

        pk = visit_in(state)(world, role)["pk"]
        photo = VisitPhoto.objects.filter(visit_id=pk).first()
        if photo is None:
            visit = Visit.objects.get(pk=pk)
            if visit.status == "published":
                raise AssertionError("add photos before publishing")
            buffer = io.BytesIO()
            Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
            upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
            photo = photo_add(auditor=visit.auditor, visit=visit, upload=upload)
        return {"path": photo.file.name}

    return kwargs
