"""The demo's visits, made through the real services: every launched store's visit two
days after its LP launch (filed and published where that day has passed); a year of
plans, every other month one region in turn, and last month's plan for the demo region,
filed with purchases from the stores' own POS receipts (a few the till does not know) by
auditors of whom one is lenient and one harsh; last month's failures followed up (read
again, retest); this month's plan assigned; one visit waiting for review; an appeal and a
corrective action at the demo store. About 14 s of seeding on SQLite."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from audits.choices import VisitReason, VisitStatus
from audits.models import Checklist, Visit, VisitPlan
from audits.services.filing import (
    AnswerInput,
    answers_save,
    photo_add,
    visit_details_save,
    visit_start,
    visit_submit,
)
from audits.services.planning import (
    launch_visits_schedule,
    month_bounds,
    plan_create,
    visit_assign,
    visits_assign_evenly,
)
from audits.services.responses import (
    action_create,
    action_done,
    action_verify,
    appeal_create,
    appeal_decide,
)
from audits.services.review import visit_publish
from kpi.selectors import receipts_on
from portal.org.choices import Role
from portal.org.demo import DEMO_REGION_CODE, DEMO_STORE_CODE
from portal.org.models import Region, User

SEED = 2026
# How readily each demo auditor answers «yes»: one lenient, one harsh, the rest alike.
LENIENT, HARSH = 0.97, 0.6
TYPICAL = 0.85


def _photo(text: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 240), (230, 236, 240))
    ImageDraw.Draw(image).text((20, 20), text, fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _answers(visit: Visit, rng: random.Random, yes: float) -> list[AnswerInput]:
    items = []
    for question in visit.version.questions.all():
        kind = question.kind
        if kind == "yes_no":
            value = "yes" if rng.random() < yes else "no"
        elif kind == "scale":
            value = str(min(4, max(0, round(4 * yes + rng.uniform(-1.5, 1.2)))))
        elif kind == "choice":
            labels = [label for label, _share in question.options]
            value = labels[0] if rng.random() < yes else rng.choice(labels[1:])
        elif kind == "numeric":
            value = str(rng.randint(1, 3) if rng.random() < yes else rng.randint(6, 12))
        elif kind == "text":
            value = rng.choice(["Кассир вежлив, очередь небольшая.", "Без замечаний.", ""])
        else:  # photo: taken below
            value = ""
        items.append(AnswerInput(question.key, value, na=False))
    return items


def file_visit(
    visit: Visit,
    *,
    lp: User,
    rng: random.Random,
    yes: float,
    day: date,
    publish: bool = True,
    true_receipt: bool = True,
    follow_up: bool = False,
) -> Visit:
    """Fill, submit and (optionally) publish `visit` as its auditor did on `day`."""
    auditor = visit.auditor
    visit = visit_start(auditor=auditor, visit=visit)
    answers_save(auditor=auditor, visit=visit, items=_answers(visit, rng, yes))
    for question in visit.version.questions.filter(kind="photo"):
        photo_add(
            auditor=auditor,
            visit=visit,
            upload=_photo(f"{visit.store.code} {day:%d.%m.%Y}"),
            question_key=question.key,
        )
    failed_photo = visit.version.questions.filter(photo_when_failed=True)
    for question in failed_photo:
        if visit.answers.filter(question=question, value="no").exists():
            photo_add(auditor=auditor, visit=visit, upload=_photo("!"), question_key=question.key)
    entered = timezone.make_aware(
        datetime.combine(day, time(11 + rng.randint(0, 6), rng.randint(0, 59)))
    )
    receipts = receipts_on(store_id=visit.store_id, day=day, limit=50)
    bought = rng.choice(receipts) if receipts else None
    number = bought.receipt_id if bought and true_receipt else f"{rng.randint(10**7, 10**8)}"
    visit_details_save(
        auditor=auditor,
        visit=visit,
        started_at=bought.issued_at - timedelta(minutes=12) if bought else entered,
        ended_at=(bought.issued_at if bought else entered) + timedelta(minutes=4),
        observations="",
        receipt_number=number,
        receipt_at=bought.issued_at if bought else entered + timedelta(minutes=10),
        receipt_amount=bought.amount if bought else Decimal(rng.randint(150, 900)),
        reimbursement=None,
    )
    visit = visit_submit(auditor=auditor, visit=visit)
    if publish:
        visit = visit_publish(actor=lp, visit=visit, announce=False, follow_up=follow_up)
    return visit


def visits_demo_seed(lp: User) -> str:
    if Visit.objects.exists() or VisitPlan.objects.exists():
        return "visits: kept"
    checklist = Checklist.objects.filter(status="published").order_by("-published_at").first()
    if checklist is None:
        return "visits: no published checklist"
    rng = random.Random(SEED)
    auditors = list(User.objects.filter(role=Role.AUDITOR, is_active=True).order_by("pk"))
    leniency = {a.pk: TYPICAL for a in auditors}
    if len(auditors) >= 3:
        leniency[auditors[1].pk], leniency[auditors[2].pk] = LENIENT, HARSH
    today = timezone.localdate()
    launched = launch_visits_schedule()
    filed = 0
    past_launch = Visit.objects.filter(
        reason=VisitReason.LAUNCH, status=VisitStatus.PLANNED, due_on__lt=today
    ).select_related("store")
    for visit in visits_assign_evenly(actor=lp, visits=past_launch, auditors=auditors[1:]):
        file_visit(visit, lp=lp, rng=rng, yes=leniency[visit.auditor_id], day=visit.not_before)
        filed += 1
    region = Region.objects.filter(code=DEMO_REGION_CODE).first()
    first_of_month = today.replace(day=1)
    last_month = month_bounds(first_of_month - timedelta(days=1))[0]
    filed += _year_of_plans(lp, checklist, auditors, leniency, rng, before=last_month)
    plan = plan_create(actor=lp, checklist=checklist, month=last_month, region=region)
    for index, visit in enumerate(
        # The demo auditor makes this month's visit to the demo store: not last month's.
        visits_assign_evenly(
            actor=lp, visits=plan.visits.order_by("store__code"), auditors=auditors[1:]
        )
    ):
        day = min(visit.due_on, today - timedelta(days=1)) - timedelta(days=rng.randint(0, 20))
        day = max(day, visit.not_before)
        file_visit(
            visit,
            lp=lp,
            rng=rng,
            yes=leniency[visit.auditor_id],
            day=day,
            true_receipt=index % 7 != 3,  # a few receipts the till does not know
            follow_up=True,  # last month's failures ask their stores to re-read and retest
        )
        filed += 1
    current = plan_create(actor=lp, checklist=checklist, month=first_of_month, region=region)
    mine = list(current.visits.filter(store__code=DEMO_STORE_CODE))
    demo_auditor = auditors[0] if auditors else None
    others = current.visits.exclude(pk__in=[v.pk for v in mine]).order_by("store__code")
    assigned = visits_assign_evenly(actor=lp, visits=others, auditors=auditors)
    if demo_auditor is not None:
        for visit in mine:
            visit_assign(actor=lp, visit=visit, auditor=demo_auditor)
    if assigned and today.day > 1:  # one waits for the LP manager's review
        file_visit(
            assigned[0], lp=lp, rng=rng, yes=TYPICAL, day=today - timedelta(days=1), publish=False
        )
    _store_responses(lp)
    return f"visits: {launched} launch visits, {filed} filed, {current.visits.count()} this month"


def _year_of_plans(lp, checklist, auditors, leniency, rng, *, before: date) -> int:
    """Every other month of the past year, one region's stores visited in turn (each
    region two or three times a year), filed with the stores' own receipts."""
    regions = list(Region.objects.order_by("code"))
    if not regions:
        return 0
    filed = 0
    month = before
    for turn in range(6):
        for _step in range(2):
            month = month_bounds(month - timedelta(days=1))[0]
        plan = plan_create(
            actor=lp, checklist=checklist, month=month, region=regions[turn % len(regions)]
        )
        visits = plan.visits.order_by("store__code")
        for index, visit in enumerate(
            visits_assign_evenly(actor=lp, visits=visits, auditors=auditors[1:])
        ):
            day = visit.not_before + timedelta(days=rng.randint(0, 25))
            file_visit(
                visit,
                lp=lp,
                rng=rng,
                yes=leniency[visit.auditor_id],
                day=day,
                true_receipt=index % 9 != 4,
            )
            filed += 1
    return filed


def _store_responses(lp: User) -> None:
    """Last month's failed reports of the demo region answered in every state: an open
    appeal and an open action at the demo store; elsewhere an accepted and a rejected
    appeal, an action done and waiting for verification, and a verified one."""
    latest = {}
    for visit in (
        Visit.objects.filter(
            store__region__code=DEMO_REGION_CODE, status=VisitStatus.PUBLISHED, reason="plan"
        )
        .exclude(result__failed=[])
        .select_related("store")
        .order_by("store__code", "-published_at")
    ):
        latest.setdefault(visit.store.code, visit)
    mine = latest.pop(DEMO_STORE_CODE, None)
    others = list(latest.values())
    steps = [_appeal_open_action_open, _appeal_accepted, _appeal_rejected, _action_done, _verified]
    for step, visit in zip(steps, [mine, *others], strict=False):
        manager = (
            User.objects.filter(role=Role.STORE_MANAGER, store=visit.store, is_active=True).first()
            if visit
            else None
        )
        if visit is not None and manager is not None:
            step(visit, manager, lp)


def _staff_of(visit: Visit, manager: User) -> User:
    return (
        visit.store.people.filter(is_active=True, role=Role.STORE_STAFF).order_by("pk").first()
        or manager
    )


def _appeal_open_action_open(visit: Visit, manager: User, lp: User) -> None:
    failed = visit.result["failed"]
    appeal_create(
        actor=manager,
        visit=visit,
        key=failed[0],
        comment="На записи камеры видно, что кассир предложил карту.",
    )
    _action(visit, manager)


def _appeal_accepted(visit: Visit, manager: User, lp: User) -> None:
    appeal = appeal_create(
        actor=manager, visit=visit, key=visit.result["failed"][0], comment="Есть запись камеры."
    )
    appeal_decide(actor=lp, appeal=appeal, accept=True, decision="Запись подтверждает.")


def _appeal_rejected(visit: Visit, manager: User, lp: User) -> None:
    appeal = appeal_create(
        actor=manager, visit=visit, key=visit.result["failed"][0], comment="Кассир был занят."
    )
    appeal_decide(actor=lp, appeal=appeal, accept=False, decision="Стандарт един для всех.")


def _action(visit: Visit, manager: User):
    return action_create(
        actor=manager,
        visit=visit,
        title="Провести пятиминутку по скрипту предложения карты",
        owner=_staff_of(visit, manager),
        due_on=timezone.localdate() + timedelta(days=5),
        key=visit.result["failed"][-1],
    )


def _action_done(visit: Visit, manager: User, lp: User):
    action = _action(visit, manager)
    return action_done(
        actor=action.owner,
        action=action,
        comment="Провели с обеими сменами.",
        photo=_photo("Пятиминутка"),
    )


def _verified(visit: Visit, manager: User, lp: User) -> None:
    action = _action_done(visit, manager, lp)
    checker = lp if action.done_by_id == manager.pk else manager
    action_verify(actor=checker, action=action, accept=True, comment="Проверено на месте.")
