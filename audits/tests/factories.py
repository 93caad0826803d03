"""Factories of the audits app: checklists made through the real services."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from audits.choices import ChecklistStatus, VisitReason
from audits.models import Checklist, Visit
from audits.scoring import Answer
from audits.services import checklist_create, checklist_publish
from audits.services.filing import (
    AnswerInput,
    answers_save,
    visit_details_save,
    visit_start,
    visit_submit,
)
from audits.services.planning import visit_assign, visit_schedule
from audits.services.review import visit_publish
from kpi.services import receipts_import
from portal.org.choices import Role
from portal.org.models import User


def question(text: str, kind: str = "yes_no", **values) -> dict:
    """A question as the CMS stores it (missing values take the block's defaults)."""
    return {"text": text, "kind": kind, **values}


def section(title: str, *questions: dict, pass_mark: int = 80) -> dict:
    return {
        "type": "section",
        "value": {"title": title, "pass_mark": pass_mark, "questions": list(questions)},
    }


def checkout_sections() -> list[dict]:
    """Two sections: the card at the till (one question critical to the visit) and the
    script (a choice and a waiting time)."""
    return [
        section(
            "Карта на кассе",
            question("Кассир предложил карту лояльности", weight=2),
            question("Кассир спросил номер телефона", critical="visit"),
            question("Вежливость кассира", "scale"),
            question("Фото чека", "photo", weight=0),
        ),
        section(
            "Скрипт",
            question(
                "Как кассир предложил вступить",
                "choice",
                options=[
                    {"label": "Сам, по скрипту", "share": "1"},
                    {"label": "После вопроса", "share": "0.5"},
                    {"label": "Не предложил", "share": "0"},
                ],
            ),
            question("Ожидание в очереди, мин", "numeric", high="5", allow_na=False),
            pass_mark=50,
        ),
    ]


def checklist(
    *,
    author: User,
    title: str = "Касса: карта лояльности",
    published: bool = False,
    sections: list[dict] | None = None,
):
    made: Checklist = checklist_create(
        actor=author,
        title=title,
        description="Что проверить.",
        sections=checkout_sections() if sections is None else sections,
    )
    return checklist_publish(actor=author, checklist=made) if published else made


# Visits: made through the real planning and filing services.

PASSING = {"yes_no": "yes", "scale": "4", "choice": "Сам, по скрипту", "numeric": "3"}


def published_checklist(*, author: User, sections: list[dict] | None = None) -> Checklist:
    """The published checkout checklist (made once per test database), or a new one
    with `sections`."""
    if sections is None:
        found = Checklist.objects.filter(
            title="Касса: карта лояльности", status=ChecklistStatus.PUBLISHED
        ).first()
        if found is not None:
            return found
    return checklist(author=author, published=True, sections=sections)


def visit_assigned(
    world,
    *,
    store=None,
    auditor: User | None = None,
    sections: list[dict] | None = None,
):
    """A visit of the published checkout checklist (or one of `sections`) to store A1 (or
    `store`) in the coming week, assigned by the LP manager to the world's auditor."""
    lp = world.people[Role.LP_MANAGER]
    made = published_checklist(author=lp, sections=sections)
    today = timezone.localdate()
    visit = visit_schedule(
        store=store or world.store_a1,
        checklist=made,
        reason=VisitReason.PLAN,
        not_before=today,
        due_on=today + timedelta(days=7),
        actor=lp,
    )
    return visit_assign(actor=lp, visit=visit, auditor=auditor or world.people[Role.AUDITOR])


def question_keys(visit) -> dict[str, str]:
    """The keys of the questions of the visit's version (started), by question text."""
    return dict(visit.version.questions.values_list("text", "key"))


def answer_everything(visit, overrides: dict | None = None) -> dict:
    """Answer every question as a passing visit would (photo questions N/A); `overrides`
    by question text: a value, or None for N/A. Returns the answers as the scoring
    engine takes them, by key."""
    visit = visit_start(auditor=visit.auditor, visit=visit)
    overrides = overrides or {}
    items = []
    for q in visit.version.questions.all():
        value = overrides.get(q.text, PASSING.get(q.kind, "") if q.kind != "photo" else None)
        items.append(AnswerInput(q.key, value or "", na=value is None))
    answers_save(auditor=visit.auditor, visit=visit, items=items)
    return {i.question: Answer(i.value or None, i.na) for i in items}


def visit_details(
    visit,
    *,
    started_at=None,
    receipt_number: str = "R-1",
    receipt_at=...,
    receipt_amount=None,
):
    """The visit's times (entered 30 minutes ago, or at `started_at`, for 25 minutes)
    and the purchase: its receipt number, time (5 minutes in, unless given: None for
    none) and amount (350.00 unless given)."""
    started_at = started_at or timezone.now() - timedelta(minutes=30)
    return visit_details_save(
        auditor=visit.auditor,
        visit=visit,
        started_at=started_at,
        ended_at=started_at + timedelta(minutes=25),
        observations="Очередь из трёх человек.",
        receipt_number=receipt_number,
        receipt_at=started_at + timedelta(minutes=5) if receipt_at is ... else receipt_at,
        receipt_amount=Decimal("350.00") if receipt_amount is None else receipt_amount,
        reimbursement=None,
    )


def visit_submitted(world, overrides: dict | None = None, **kwargs):
    """A visit answered (`overrides` by question text), its details given, submitted."""
    visit = visit_assigned(world, **kwargs)
    answer_everything(visit, overrides)
    visit_details(visit)
    return visit_submit(auditor=visit.auditor, visit=visit)


def visit_published(world, overrides: dict | None = None, **kwargs):
    """A submitted visit approved and published by the LP manager (nobody told)."""
    visit = visit_submitted(world, overrides, **kwargs)
    return visit_publish(actor=world.people[Role.LP_MANAGER], visit=visit, announce=False)


def jpeg_upload(size: tuple[int, int] = (1200, 900), *, name: str = "photo.jpg"):
    """A phone photo as uploaded: a JPEG carrying EXIF GPS coordinates and the phone's model."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)}
    exif[0x0110] = "Phone X"  # the camera's model
    buffer = io.BytesIO()
    Image.new("RGB", size, "#c0392b").save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def receipts_load(capture, store, day, *, receipts: int = 3, identified: int = 1) -> None:
    """The store's POS receipts of `day` imported (ids `YYMMDD-n`, at 10:0n local time,
    1000.00 each, the first `identified` with a card), store days refreshed after commit.
    `capture`: pytest-django's `django_capture_on_commit_callbacks`."""
    # The POS file as kpi's own tests write it (apps meet through selectors and services
    # only, so not through kpi's test factories).
    lines = ["магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email\n"]
    for n in range(receipts):
        card = f"C{store.code}{n}" if n < identified else ""
        lines.append(
            f"{store.code};{day:%y%m%d}-{n};{day:%d.%m.%Y} 10:{n % 60:02d};1000,00;2;{card};"
            f"100001;0;{1 if card else 0};0\n"
        )
    content = "".join(lines).encode("cp1251")
    with capture(execute=True):
        receipts_import(actor=None, content=content)


def png_bomb(side: int = 20000, *, name: str = "bomb.png"):
    """A real PNG of side × side pixels at one bit each: about 50 KB sent, 400 megapixels
    (and as many bytes of memory) once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\0" * (1 + (side + 7) // 8)  # the filter byte and the row's bits
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
    return SimpleUploadedFile(name, content + chunk(b"IEND", b""), content_type="image/png")


def visit_planned(store, made: Checklist, *, first: int = 0, last: int = 7):
    """A planned visit (no auditor) to `store`, from `first` to `last` days from today."""
    today = timezone.localdate()
    return visit_schedule(
        store=store,
        checklist=made,
        reason=VisitReason.PLAN,
        not_before=today + timedelta(days=first),
        due_on=today + timedelta(days=last),
    )


def yesterday_at(hour: int, minute: int):
    """Yesterday at hour:minute, local time."""
    day = timezone.localdate() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def visit_filed_yesterday(
    world, *, number: str, at=None, amount=None, sections=None, answers: dict | None = None
):
    """A visit to A1 made yesterday from 9:55, answered (`answers` by question text), its
    receipt given by `number` (and `at`, `amount`), submitted; read back as stored."""
    visit = visit_assigned(world, sections=sections)
    answer_everything(visit, answers)
    entered = yesterday_at(9, 55)
    visit_details(
        visit, started_at=entered, receipt_number=number, receipt_at=at, receipt_amount=amount
    )
    visit_submit(auditor=visit.auditor, visit=visit)
    return Visit.objects.get(pk=visit.pk)
