"""Published visits grown in bulk with their answers and facts, and the check that those
facts are the ones the portal keeps (see `audits.bench`)."""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audits.bench.world import CHUNK, OPEN_PER_AUDITOR, PATTERNS, World
from audits.choices import (
    QuestionKind,
    ReceiptCheck,
    VisitEventKind,
    VisitReason,
    VisitStatus,
)
from audits.facts import audit_facts_refresh, visit_month
from audits.models import (
    ChecklistQuestion,
    QuestionFact,
    ScoreFact,
    Visit,
    VisitEvent,
)
from audits.scoring import SCORED, Answer, visit_score
from audits.selectors import checklist_spec
from audits.selectors.analytics import months_back
from audits.services.filing import (
    result_of,
)


@dataclass(frozen=True)
class Pattern:
    """One set of answers: rows (question id, value, N/A, comment) and its score."""

    rows: tuple[tuple[int, str, bool, str], ...]
    score: Decimal | None
    passed: bool
    result: dict


def answer_pick(question: ChecklistQuestion, rng: random.Random, yes: float) -> tuple[str, bool]:
    if question.kind in SCORED and question.allow_na and rng.random() < 0.03:
        return "", True
    match question.kind:
        case QuestionKind.YES_NO:
            return ("yes" if rng.random() < yes else "no"), False
        case QuestionKind.SCALE:
            return str(min(4, max(0, round(4 * yes + rng.uniform(-1.5, 1.2))))), False
        case QuestionKind.CHOICE:
            labels = [label for label, _share in question.options]
            return (labels[0] if rng.random() < yes else rng.choice(labels[1:])), False
        case QuestionKind.NUMERIC:
            return str(rng.randint(1, 4) if rng.random() < yes else rng.randint(6, 12)), False
        case QuestionKind.TEXT:
            return rng.choice(("Без замечаний.", "Очередь из трёх человек.", "")), False
    return "", False


def patterns_make(world: World, *, seed: int, count: int = PATTERNS) -> dict[float, list[Pattern]]:
    """`count` answer sets per leniency, each scored as filing scores it."""
    rng = random.Random(seed)
    spec = checklist_spec(version=world.version)
    pool: dict[float, list[Pattern]] = {}
    for yes in sorted(set(world.leniency.values())):
        made = []
        for _n in range(count):
            given = [(question, *answer_pick(question, rng, yes)) for question in world.questions]
            score = visit_score(spec, {q.key: Answer(value or None, na) for q, value, na in given})
            failed = set(score.failed)
            rows = [
                (q.pk, value, na, "Замечание записано." if q.key in failed else "")
                for q, value, na in given
            ]
            made.append(
                Pattern(
                    rows=tuple(rows),
                    score=score.score,
                    passed=score.passed,
                    result={**result_of(score), "flags": []},
                )
            )
        pool[yes] = made
    return pool


# Growth ------------------------------------------------------------------------------


def _window() -> tuple[date, int]:
    """The first day of the analytics' twelve months and the days from it to yesterday."""
    today = timezone.localdate()
    first = months_back(today, 12)[0]
    return first, max(1, (today - first).days)


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def visits_grow(
    world: World,
    pool: dict[float, list[Pattern]],
    count: int,
    *,
    seed: int,
    say: Callable[[str], None],
) -> int:
    """`count` published visits over the last twelve months, each to a store of the bench
    (evenly at random) by an auditor of its region, with its answers (one of the pool's
    sets for the auditor's leniency). Returns the answer rows written."""
    rng = random.Random(seed)
    first, days = _window()
    now = timezone.now()
    by_region = {region.pk: world.auditors_of(region.pk) for region in world.regions}
    offsets = _patterns_load(pool)
    written = 0
    for start in range(0, count, CHUNK):
        started = time.perf_counter()
        visits, chosen = [], []
        for _n in range(min(CHUNK, count - start)):
            store = rng.choice(world.stores)
            auditor = rng.choice(by_region[store.region_id])
            yes = world.leniency[auditor.pk]
            number = rng.randrange(len(pool[yes]))
            pattern = pool[yes][number]
            day = first + timedelta(days=rng.randrange(days))
            entered = _at(day, rng.randint(9, 19), rng.randint(0, 59))
            submitted = entered + timedelta(hours=rng.randint(1, 8))
            published = min(now, submitted + timedelta(hours=rng.randint(4, 70)))
            receipt = f"{rng.randint(10**7, 10**8 - 1)}"
            found = rng.random() < 0.95
            visits.append(
                Visit(
                    store=store,
                    checklist=world.checklist,
                    version=world.version,
                    reason=VisitReason.PLAN,
                    not_before=day.replace(day=1),
                    due_on=_month_end(day),
                    status=VisitStatus.PUBLISHED,
                    auditor=auditor,
                    pseudonym=f"ТП-{rng.randint(1000, 9999)}",
                    started_at=entered,
                    ended_at=entered + timedelta(minutes=rng.randint(12, 40)),
                    receipt_number=receipt,
                    receipt_at=entered + timedelta(minutes=10),
                    receipt_amount=Decimal(rng.randint(15000, 90000)) / 100,
                    receipt_check=ReceiptCheck.FOUND if found else ReceiptCheck.NOT_FOUND,
                    receipt_checked_at=submitted,
                    pos_receipt=receipt if found else "",
                    pos_identified=rng.random() < 0.7 if found else None,
                    score=pattern.score,
                    passed=pattern.passed,
                    result=pattern.result,
                    submitted_at=submitted,
                    published_at=published,
                    acknowledged_at=(
                        published + timedelta(days=1)
                        if rng.random() < 0.7 and published + timedelta(days=1) < now
                        else None
                    ),
                    created_at=entered - timedelta(days=10),
                )
            )
            chosen.append(offsets[yes] + number)
        with transaction.atomic():
            Visit.objects.bulk_create(visits, batch_size=2000)
            written += _answers_insert([(v.pk, p) for v, p in zip(visits, chosen, strict=True)])
        say(
            f"  visits {start + len(visits)}/{count}: {time.perf_counter() - started:.1f} s "
            f"({written} answers)"
        )
    return written


def _patterns_load(pool: dict[float, list[Pattern]]) -> dict[float, int]:
    """The answer sets into a temporary table (set number, question, value…); returns
    the number of each leniency's first set."""
    out = io.StringIO()
    offsets, first = {}, 0
    for yes in sorted(pool):
        offsets[yes] = first
        for number, pattern in enumerate(pool[yes], start=first):
            for position, (question_id, value, na, comment) in enumerate(pattern.rows):
                out.write(
                    f"{number}\t{question_id}\t{value}\t{'t' if na else 'f'}\t{comment}\t"
                    f"{position}\n"
                )
        first += len(pool[yes])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_audits_pattern")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_audits_pattern (pattern integer, question_id bigint, "
            "value varchar(2000), na boolean, comment varchar(2000), position integer)"
        )
        with cursor.cursor.copy("COPY bench_audits_pattern FROM STDIN") as copy:
            copy.write(out.getvalue())
        cursor.execute("CREATE INDEX ON bench_audits_pattern (pattern)")
        cursor.execute("ANALYZE bench_audits_pattern")
    return offsets


def _answers_insert(pairs: list[tuple[int, int]]) -> int:
    """Each visit's answers from its pattern, given 20 seconds apart from its start."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_audits_chosen")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_audits_chosen (visit_id bigint, pattern integer)"
        )
        with cursor.cursor.copy("COPY bench_audits_chosen FROM STDIN") as copy:
            copy.write("".join(f"{visit}\t{pattern}\n" for visit, pattern in pairs))
        cursor.execute(
            "INSERT INTO audits_visitanswer "
            "(visit_id, question_id, value, na, comment, answered_at, saved_at) "
            "SELECT c.visit_id, p.question_id, p.value, p.na, p.comment, "
            "v.started_at + p.position * interval '20 seconds', "
            "v.started_at + p.position * interval '20 seconds' "
            "FROM bench_audits_chosen c JOIN bench_audits_pattern p ON p.pattern = c.pattern "
            "JOIN audits_visit v ON v.id = c.visit_id"
        )
        return cursor.rowcount


def open_visits_add(world: World, *, seed: int) -> int:
    """Each auditor's visits of this month not filed yet (assigned to them)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    visits = []
    for n, auditor in enumerate(world.auditors):
        stores = [s for s in world.stores if s.region_id == world.works_in[auditor.pk]]
        for _k in range(OPEN_PER_AUDITOR):
            visits.append(
                Visit(
                    store=rng.choice(stores),
                    checklist=world.checklist,
                    reason=VisitReason.PLAN,
                    not_before=today.replace(day=1),
                    due_on=_month_end(today) + timedelta(days=n % 3),
                    status=VisitStatus.ASSIGNED,
                    auditor=auditor,
                    pseudonym=f"ТП-{rng.randint(1000, 9999)}",
                )
            )
    Visit.objects.bulk_create(visits)
    return len(visits)


def probe_visit(world: World) -> Visit:
    """The store manager's store's latest published visit, given its history (the events
    filing and review record), as the LP manager opens it."""
    visit = (
        Visit.objects.filter(store=world.stores[0], status=VisitStatus.PUBLISHED)
        .order_by("-started_at", "-pk")
        .first()
    )
    auditor = visit.auditor
    events = [
        (VisitEventKind.SCHEDULED, None, visit.started_at - timedelta(days=10), {}),
        (VisitEventKind.ASSIGNED, world.lp, visit.started_at - timedelta(days=9), {}),
        (VisitEventKind.STARTED, auditor, visit.started_at, {"version": 1}),
        (VisitEventKind.SUBMITTED, auditor, visit.submitted_at, {"score": str(visit.score)}),
        (VisitEventKind.RECEIPT_CHECKED, None, visit.submitted_at, {}),
        (VisitEventKind.PUBLISHED, world.lp, visit.published_at, {"score": str(visit.score)}),
    ]
    VisitEvent.objects.bulk_create(
        VisitEvent(visit=visit, kind=kind, actor=actor, at=at, payload=payload)
        for kind, actor, at, payload in events
    )
    return visit


# Facts -------------------------------------------------------------------------------

SCORE_FACTS_SQL = """
INSERT INTO audits_scorefact (store_id, month, auditor_id, visits, passed, score_sum,
                              score_squares)
SELECT v.store_id, date_trunc('month', v.started_at AT TIME ZONE %(tz)s)::date, v.auditor_id,
       count(*), count(*) FILTER (WHERE v.passed), sum(v.score), sum(v.score * v.score)
FROM audits_visit v
WHERE v.status = 'published' AND v.store_id = ANY(%(stores)s) AND v.score IS NOT NULL
  AND v.auditor_id IS NOT NULL AND v.started_at IS NOT NULL
GROUP BY 1, 2, 3
"""

QUESTION_FACTS_SQL = """
INSERT INTO audits_questionfact (region_id, month, key, text, answered, failed)
SELECT s.region_id, date_trunc('month', v.started_at AT TIME ZONE %(tz)s)::date, q.key,
       max(q.text), count(*),
       count(*) FILTER (WHERE jsonb_exists(coalesce(v.result -> 'failed', '[]'), q.key))
FROM audits_visitanswer a
JOIN audits_visit v ON v.id = a.visit_id
JOIN org_store s ON s.id = v.store_id
JOIN audits_checklistquestion q ON q.id = a.question_id
WHERE v.status = 'published' AND v.store_id = ANY(%(stores)s) AND v.auditor_id IS NOT NULL
  AND v.started_at IS NOT NULL AND NOT a.na AND a.value <> '' AND q.kind = ANY(%(kinds)s)
  AND q.weight > 0
GROUP BY 1, 2, 3
"""


def facts_write(world: World) -> tuple[int, int]:
    """The bench's facts rewritten from its published visits, by SQL: the rows
    `audit_facts_refresh` keeps (checked by `facts_check`). Returns (score, question) rows."""
    params = {
        "tz": settings.TIME_ZONE,
        "stores": [s.pk for s in world.stores],
        "kinds": sorted(str(kind) for kind in SCORED),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        ScoreFact.objects.filter(store__in=world.stores).delete()
        QuestionFact.objects.filter(region__in=world.regions).delete()
        cursor.execute(SCORE_FACTS_SQL, params)
        scores = cursor.rowcount
        cursor.execute(QUESTION_FACTS_SQL, params)
        return scores, cursor.rowcount


def _facts_of(visit: Visit) -> tuple[list, list]:
    month = visit_month(visit)
    scores = list(
        ScoreFact.objects.filter(store_id=visit.store_id, month=month, auditor_id=visit.auditor_id)
        .order_by("pk")
        .values_list("visits", "passed", "score_sum", "score_squares")
    )
    questions = sorted(
        QuestionFact.objects.filter(region_id=visit.store.region_id, month=month).values_list(
            "key", "text", "answered", "failed"
        )
    )
    return scores, questions


def facts_check(world: World, *, sample: int, seed: int) -> int:
    """Rewrite the facts of `sample` published visits (their store-month-auditor row and
    their region-month question rows) through `audit_facts_refresh`, and fail if a row
    differs from the one written by SQL; the rewrite is rolled back. Returns the rows
    compared."""
    rng = random.Random(seed)
    ids = list(
        Visit.objects.filter(store__in=world.stores, status=VisitStatus.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    compared = 0
    for pk in rng.sample(ids, min(sample, len(ids))):
        visit = Visit.objects.select_related("store").get(pk=pk)
        written = _facts_of(visit)
        with transaction.atomic():
            audit_facts_refresh(visit=visit)
            kept = _facts_of(visit)
            transaction.set_rollback(True)
        if written != kept or not written[0] or not written[1]:
            raise RuntimeError(
                f"facts of visit {visit.number} differ from audit_facts_refresh: "
                f"written {written}, kept {kept}"
            )
        compared += len(kept[0]) + len(kept[1])
    return compared


def analyze() -> None:
    """Statistics and visibility as autovacuum leaves them after a load this size (its
    insert threshold vacuums these tables too): measured before, the planner guesses at
    freshly filled tables and index-only scans visit the heap."""
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) audits_visit, audits_visitanswer, audits_visitevent, "
            "audits_scorefact, audits_questionfact"
        )
        cursor.execute("ANALYZE")


# The PDF's visit ---------------------------------------------------------------------
