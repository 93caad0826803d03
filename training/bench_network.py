"""Pieces of `manage.py bench_network`: a chain grown through the portal's own imports,
SOP pages published through Wagtail, confirmations through the paper-batch service, the
exam's attempts and certificates in bulk, and the clean-up (the page probe and the copy
of the small size are `portal.bench`'s).

Everything made here is marked: regions BENCH-NETWORK-01…, stores BENCH-NET-0001…, people
BNET… (personnel numbers), `bench-network` (the SOP index page and its pages, the exam),
`bench_network:` (import file names); `bench_cleanup` removes it all, also what a failed
run left behind (`portal.bench.bench_run`).
"""

from __future__ import annotations

import csv
import io
import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from portal.bench import bench_region_code, purge
from portal.org import services as org_services
from portal.org.choices import OrgEventKind, Role
from portal.org.import_csv import PERSON_COLUMNS, STORE_COLUMNS
from portal.org.models import OrgEvent, Region, Store, User
from portal.sop import selectors as sop_selectors
from portal.sop import services as sop_services
from portal.sop.audience import Placement
from portal.sop.choices import ChangeKind
from portal.sop.models import Acknowledgement, SopIndexPage, SopPage, SopVersion
from training.choices import AttemptState
from training.models import Assignment, Attempt, AttemptEvent, Certificate, Exam
from training.models.exams import AssignmentReason
from training.services.certificates import add_months

REGION_PREFIX = bench_region_code("network")  # BENCH-NETWORK-01…
STORE_PREFIX = "BENCH-NET-"
PREFIX = "BNET"  # personnel numbers
FILE_PREFIX = "bench_network:"
INDEX_SLUG = "bench-network-sop"
EXAM_CODE = "bench-network"
EMAIL_DOMAIN = "bench-network.local"
PROBE_EMAIL = f"lp-manager@{EMAIL_DOMAIN}"
STORES_PER_REGION = 20
SEED = 11


@dataclass(frozen=True)
class Shape:
    """One SOP page of the bench library: audience, deadline, age, material revisions."""

    title: str
    roles: tuple[str, ...] = (Role.STORE_STAFF, Role.STORE_MANAGER)
    regions: int = 0  # the first N bench regions only
    stores: int = 0  # the first N bench stores only
    due_days: int = 7
    age_days: tuple[int, ...] = (40,)  # days since each material publication
    mandatory: bool = True


LIBRARY = (
    Shape("Регистрация участника на кассе", age_days=(90, 12)),
    Shape("Возврат товара с бонусами", due_days=14, age_days=(60,)),
    Shape("Персональные данные покупателя", age_days=(120, 45, 4)),
    Shape("Акции региона", regions=2, due_days=10, age_days=(20,)),
    Shape("Для руководителей магазинов", roles=(Role.STORE_MANAGER,), due_days=5),
    Shape("Кассовая дисциплина", roles=(Role.STORE_STAFF,), due_days=30, age_days=(35, 8)),
    Shape("Карты сотрудников", stores=40, age_days=(15,)),
    Shape("Жалобы покупателей", due_days=3, age_days=(2,)),
    Shape("Справочник акций", mandatory=False),
)


def _csv(columns, rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def region_code(n: int) -> str:
    return f"{REGION_PREFIX}-{n:02d}"


def store_code(n: int) -> str:
    return f"{STORE_PREFIX}{n:04d}"


def stores_csv(first: int, last: int) -> bytes:
    """Stores `first`…`last` (1-based), twenty to a region, as HR's stores file."""
    rows = []
    for n in range(first, last + 1):
        region = (n - 1) // STORES_PER_REGION + 1
        rows.append(
            [
                region_code(region),
                f"Нагрузка, регион {region}",
                store_code(n),
                f"Магазин {n}",
                "Казань",
                f"ул. Нагрузочная, {n}",
                "super",
                "2015-03-01",
                "2025-03-01",
                "1",
            ]
        )
    return _csv(STORE_COLUMNS, rows)


def people_csv(first: int, last: int, *, seed: int = SEED) -> tuple[bytes, int]:
    """The people of stores `first`…`last`: a manager and 14 or 15 sellers per store (15.5
    on average), and a regional manager per new region. Returns (file, rows)."""
    rng = random.Random(seed * 1_000_003 + first)
    today = timezone.localdate()
    rows = []

    def add(role: str, number: str, store: str = "", region: str = "") -> None:
        # Most were hired long ago, some in the last weeks (their deadlines start later).
        days = rng.randrange(0, 40) if rng.random() < 0.1 else rng.randrange(60, 2000)
        rows.append(
            [
                number,
                "Нагрузочная",
                "Проверка",
                "",
                f"{number.lower()}@{EMAIL_DOMAIN}",
                role,
                store,
                region,
                (today - timedelta(days=days)).isoformat(),
                "0" if rng.random() < 0.02 else "1",
            ]
        )

    for n in range(first, last + 1):
        region = (n - 1) // STORES_PER_REGION + 1
        if (n - 1) % STORES_PER_REGION == 0:
            add(Role.REGIONAL_MANAGER, f"{PREFIX}R{region:05d}", region=region_code(region))
        add(Role.STORE_MANAGER, f"{PREFIX}{n:04d}00", store=store_code(n))
        for seller in range(1, 15 + n % 2):
            add(Role.STORE_STAFF, f"{PREFIX}{n:04d}{seller:02d}", store=store_code(n))
    return _csv(PERSON_COLUMNS, rows), len(rows)


def chain_import(first: int, last: int) -> int:
    """Stores and people `first`…`last` through the portal's org imports; people made."""
    org_services.org_stores_import(
        actor=None, content=stores_csv(first, last), filename=f"{FILE_PREFIX}stores.csv"
    )
    content, rows = people_csv(first, last)
    org_services.org_people_import(actor=None, content=content, filename=f"{FILE_PREFIX}people.csv")
    return rows


def _body(text: str) -> str:
    block = {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())}
    return json.dumps([block], ensure_ascii=False)


def library_publish() -> list[SopPage]:
    """The bench library under its own index page, each page published through Wagtail as
    an editor would (every publication records its SopVersion), back-dated by `age_days`."""
    home = Page.objects.filter(depth=2).order_by("path").first()
    index = home.add_child(instance=SopIndexPage(title="Нагрузочный тест", slug=INDEX_SLUG))
    regions = list(Region.objects.filter(code__startswith=REGION_PREFIX).order_by("code"))
    stores = list(Store.objects.filter(code__startswith=STORE_PREFIX).order_by("code"))
    pages = []
    for n, shape in enumerate(LIBRARY):
        page = SopPage(
            title=shape.title,
            slug=f"{INDEX_SLUG}-{n}",
            summary=shape.title,
            audience_roles=list(shape.roles),
            mandatory=shape.mandatory,
            due_days=shape.due_days,
            body=_body(shape.title),
            change_kind=ChangeKind.MATERIAL,
        )
        page.audience_regions = regions[: shape.regions]
        page.audience_stores = stores[: shape.stores]
        index.add_child(instance=page)
        for revision in range(len(shape.age_days)):
            page = SopPage.objects.get(pk=page.pk)
            if revision:
                page.body = _body(f"{shape.title}, редакция {revision + 1}")
                page.change_kind, page.change_summary = ChangeKind.MATERIAL, "Изменено"
            page.save_revision().publish()
        versions = list(SopVersion.objects.filter(page_id=page.pk).order_by("revision_id"))
        for version, age in zip(versions, shape.age_days, strict=True):
            SopVersion.objects.filter(pk=version.pk).update(
                published_at=timezone.now() - timedelta(days=age)
            )
        pages.append(SopPage.objects.get(pk=page.pk))
    return pages


def confirmations_record(pages: list[SopPage], people: list[User], *, seed: int) -> int:
    """Each reader of each page confirms each of its material revisions with a chance
    (85 % the newest, 90 % the older ones), through the paper-batch service."""
    rng = random.Random(seed)
    made = 0
    for page in pages:
        if not page.mandatory:
            continue
        audience = sop_selectors.page_audience(page)
        readers = [p for p in people if audience.admits(Placement.of(p))]
        versions = list(
            SopVersion.objects.filter(page_id=page.pk, kind=ChangeKind.MATERIAL).order_by(
                "revision_id"
            )
        )
        for position, version in enumerate(versions):
            chance = 0.85 if position == len(versions) - 1 else 0.9
            at = version.published_at + timedelta(hours=rng.randrange(1, 72))
            entries = [(p, min(at, timezone.now())) for p in readers if rng.random() < chance]
            made += sop_services.acknowledgements_record_bulk(
                page=page, revision_id=version.revision_id, entries=entries
            )
    return made


def exam_ensure() -> Exam:
    exam, _created = Exam.objects.get_or_create(
        code=EXAM_CODE, defaults={"title": "Нагрузочный экзамен", "pass_mark": 60}
    )
    return exam


def attempts_record(exam: Exam, sellers: list[User], *, seed: int) -> int:
    """About 1.5 attempts a seller: most passed (certificate valid, some expired), some
    failed and hold an open assignment (a part of them overdue). Written in bulk, the
    rows `exam_passed` writes for a passing attempt."""
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    attempts, outcomes, assignments = [], [], []
    for person in sellers:
        fate = rng.random()
        tries = 0 if fate < 0.1 else 2 if fate < 0.55 else 1
        for number in range(1, tries + 1):
            passed = number == tries and fate > 0.2
            finished = now - timedelta(days=rng.randrange(1, 500))
            attempts.append(
                Attempt(
                    person=person,
                    exam=exam,
                    number=number,
                    state=AttemptState.SUBMITTED,
                    started_at=finished - timedelta(minutes=20),
                    deadline=finished + timedelta(minutes=10),
                    finished_at=finished,
                    score=85 if passed else 40,
                    passed=passed,
                )
            )
            outcomes.append(passed)
        if fate < 0.2:
            due = today + timedelta(days=rng.randrange(-20, 30))
            assignments.append(
                Assignment(person=person, exam=exam, reason=AssignmentReason.RULE, due_on=due)
            )
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    Certificate.objects.bulk_create(
        (
            Certificate(
                person_id=attempt.person_id,
                exam=exam,
                attempt=attempt,
                score=attempt.score,
                issued_at=attempt.finished_at,
                expires_on=add_months(timezone.localdate(attempt.finished_at), 12),
            )
            for attempt, passed in zip(attempts, outcomes, strict=True)
            if passed
        ),
        batch_size=2000,
    )
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    return len(attempts)


def probe_manager() -> User:
    return User.objects.create(
        email=PROBE_EMAIL,
        personnel_number=f"{PREFIX}HQ0001",
        last_name="Нагрузочная",
        first_name="Проверка",
        role=Role.LP_MANAGER,
        password="!",
    )


def bench_people() -> list[User]:
    return list(
        User.objects.filter(personnel_number__startswith=PREFIX, is_active=True)
        .exclude(email=PROBE_EMAIL)
        .select_related("store")
    )


def bench_cleanup() -> None:
    """Remove everything a bench run made (also what a failed run left)."""
    people = User.objects.filter(personnel_number__startswith=PREFIX)
    pages = SopPage.objects.filter(slug__startswith=INDEX_SLUG)
    with transaction.atomic():
        exams = Exam.objects.filter(code=EXAM_CODE)
        Certificate.objects.filter(exam__in=exams).delete()
        AttemptEvent.objects.filter(attempt__exam__in=exams).delete()
        Attempt.objects.filter(exam__in=exams).delete()
        Assignment.objects.filter(person__in=people).delete()
        exams.delete()
        acks = Acknowledgement.objects.filter(page__in=pages)
        if acks.exists():
            # Confirmations are immutable by a trigger: lifted for this transaction only.
            with connection.cursor() as cursor:
                immutable = _immutable_trigger(cursor)
                if immutable:
                    cursor.execute(f"ALTER TABLE sop_acknowledgement DISABLE TRIGGER {immutable}")
                acks.delete()
                if immutable:
                    cursor.execute(f"ALTER TABLE sop_acknowledgement ENABLE TRIGGER {immutable}")
        SopVersion.objects.filter(page__in=pages).delete()
        for index in Page.objects.filter(slug=INDEX_SLUG):
            index.delete()
        OrgEvent.objects.filter(
            kind=OrgEventKind.IMPORT_APPLIED, payload__file__startswith=FILE_PREFIX
        ).delete()
        purge(people)
        purge(Store.objects.filter(code__startswith=STORE_PREFIX))
        purge(Region.objects.filter(code__startswith=REGION_PREFIX))


def leftovers() -> dict[str, int]:
    """What of the bench is still in the database (all zero after `bench_cleanup`)."""
    return {
        "regions": Region.objects.filter(code__startswith=REGION_PREFIX).count(),
        "stores": Store.objects.filter(code__startswith=STORE_PREFIX).count(),
        "people": User.objects.filter(personnel_number__startswith=PREFIX).count(),
        "pages": Page.objects.filter(slug__startswith=INDEX_SLUG).count(),
        "exams": Exam.objects.filter(code=EXAM_CODE).count(),
        "import events": OrgEvent.objects.filter(payload__file__startswith=FILE_PREFIX).count(),
    }


def _immutable_trigger(cursor) -> str | None:
    if connection.vendor != "postgresql":
        return None
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'sop_acknowledgement'::regclass "
        "AND tgname = 'sop_acknowledgement_immutable'"
    )
    row = cursor.fetchone()
    return row[0] if row else None


def timed(say: Callable[[str], None], label: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = work()
    say(f"{label}: {time.perf_counter() - started:.1f} s")
    return result
