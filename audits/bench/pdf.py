"""The PDF's visit with phone-sized photos, and the clean-up (see `audits.bench`)."""

from __future__ import annotations

import contextlib
import io
import random
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from audits.bench.growth import answer_pick
from audits.bench.world import CHECKLIST_TITLE, PREFIX, REGION_PREFIX, STORE_PREFIX, World
from audits.choices import (
    VisitReason,
)
from audits.models import (
    Checklist,
    CorrectiveAction,
    Visit,
    VisitPhoto,
)
from audits.services.filing import (
    AnswerInput,
    answers_save,
    photo_add,
    visit_details_save,
    visit_submit,
)
from audits.services.planning import visit_assign, visit_schedule
from audits.services.review import visit_publish
from portal.bench import purge
from portal.org.models import Region, Store, User

PHONE_SIZE = (4000, 3000)  # a 12-megapixel phone camera
PHONE_QUALITY = 90


def phone_photo(seed: int, size: tuple[int, int] = PHONE_SIZE) -> bytes:
    """A phone photo as it is uploaded: a shelf-like scene (backdrop, rows of packs of
    every colour, price tags) softened as a lens does, under the sensor's grain (noise,
    not flat colour, so JPEG compresses it as it does a real photo: about 3.4 MB at
    12 megapixels, as a phone's camera writes them)."""
    rng = random.Random(seed)
    width, height = size
    backdrop = Image.linear_gradient("L").resize((width // 2, height // 2))
    tint = tuple(rng.randint(120, 220) for _ in range(3))
    scene = Image.merge(
        "RGB", [backdrop.point(lambda v, c=c: int(c * (0.6 + v / 640))) for c in tint]
    )
    draw = ImageDraw.Draw(scene)
    w, h = scene.size
    shelf_height = h // 5
    for shelf in range(5):
        bottom = (shelf + 1) * shelf_height
        draw.rectangle((0, bottom - 8, w, bottom), fill=(90, 90, 95))
        x = rng.randint(0, 20)
        while x < w:
            pack = rng.randint(20, 60)
            colour = tuple(rng.randint(20, 250) for _ in range(3))
            top = bottom - shelf_height + rng.randint(10, 40)
            draw.rectangle((x, top, x + pack, bottom - 10), fill=colour)
            draw.rectangle((x + 4, bottom - 30, x + pack - 4, bottom - 14), fill="white")
            draw.text((x + 6, bottom - 29), f"{rng.randint(19, 999)}", fill=(0, 0, 0))
            x += pack + rng.randint(2, 8)
    scene = scene.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1))
    grain = Image.merge("RGB", [Image.effect_noise(size, 40) for _ in range(3)])
    out = io.BytesIO()
    Image.blend(scene, grain, 0.2).save(out, "JPEG", quality=PHONE_QUALITY)
    return out.getvalue()


def pdf_visit(
    world: World,
    *,
    photos: int,
    seed: int,
    say: Callable[[str], None],
    size: tuple[int, int] = PHONE_SIZE,
) -> Visit:
    """A visit of the bench checklist filed through the portal's services: answered (a
    few questions failed, with comments), `photos` phone photos added through
    `photo_add` (re-encoded there), submitted and published."""
    rng = random.Random(seed)
    store = world.stores[1 % len(world.stores)]
    today = timezone.localdate()
    visit = visit_schedule(
        store=store,
        checklist=world.checklist,
        reason=VisitReason.PLAN,
        not_before=today - timedelta(days=3),
        due_on=today + timedelta(days=4),
        actor=world.lp,
    )
    for auditor in world.auditors_of(store.region_id):
        try:  # refused to the auditor of the store's visit just before or after it
            visit = visit_assign(actor=world.lp, visit=visit, auditor=auditor)
            break
        except ValidationError:
            continue
    auditor = visit.auditor
    if auditor is None:
        raise RuntimeError(f"no auditor of {store.code}'s region may make its visit")
    keys = [q.key for q in world.questions if q.photo_when_failed][:photos]
    failing = set(keys)  # failed, each with its photo; the other photos are the visit's
    items = []
    for question in world.questions:
        value, na = answer_pick(question, rng, 0.9)
        comment = ""
        if question.key in failing:
            value, na, comment = "no", False, "Нарушение, см. фото."
        items.append(AnswerInput(question.key, value, na=na, comment=comment))
    answers_save(auditor=auditor, visit=visit, items=items)
    sent = 0
    for n in range(photos):
        content = phone_photo(seed * 100 + n, size)
        sent += len(content)
        upload = SimpleUploadedFile(f"IMG_{n:04d}.jpg", content, content_type="image/jpeg")
        photo_add(
            auditor=auditor,
            visit=visit,
            upload=upload,
            question_key=keys[n] if n < len(keys) else "",
        )
    stored = sum(VisitPhoto.objects.filter(visit=visit).values_list("size", flat=True))
    say(
        f"  {photos} photos of {size[0]}×{size[1]} px: {sent / max(photos, 1) / 1024:.0f} KB "
        f"each as sent, {stored / max(photos, 1) / 1024:.0f} KB each as stored"
    )
    entered = timezone.now() - timedelta(hours=3)
    visit_details_save(
        auditor=auditor,
        visit=visit,
        started_at=entered,
        ended_at=entered + timedelta(minutes=35),
        observations="Очередь из пяти человек, одна касса закрыта. " * 4,
        receipt_number="",
        receipt_at=entered + timedelta(minutes=20),
        receipt_amount=Decimal("412.50"),
        reimbursement=Decimal("412.50"),
    )
    visit = visit_submit(auditor=auditor, visit=visit)
    visit = visit_publish(actor=world.lp, visit=visit, announce=False, follow_up=False)
    return Visit.objects.select_related("store__region", "checklist", "version", "auditor").get(
        pk=visit.pk
    )


# Clean-up ----------------------------------------------------------------------------


def _bench_visits():
    people = User.objects.filter(personnel_number__startswith=PREFIX)
    return Visit.objects.filter(
        Q(store__code__startswith=STORE_PREFIX)
        | Q(auditor__in=people)
        | Q(checklist__title=CHECKLIST_TITLE, checklist__created_by__in=people)
    )


def bench_cleanup() -> None:
    """Remove everything a bench run made (also what a failed run left): photo files
    first, the answers and events by SQL (the generic `purge` would load them as
    objects), then the visits, the checklist, people, stores and regions."""
    visits = _bench_visits()
    files = list(VisitPhoto.objects.filter(visit__in=visits).values_list("file", flat=True))
    files += (
        CorrectiveAction.objects.filter(visit__in=visits)
        .exclude(photo="")
        .values_list("photo", flat=True)
    )
    for name in files:
        default_storage.delete(name)
    for folder in {PurePosixPath(name).parent for name in files}:
        _folder_remove(str(folder))
    ids = list(visits.values_list("pk", flat=True))
    stores = list(Store.objects.filter(code__startswith=STORE_PREFIX).values_list("pk", flat=True))
    regions = list(
        Region.objects.filter(code__startswith=REGION_PREFIX).values_list("pk", flat=True)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audits_visitanswer WHERE visit_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM audits_visitevent WHERE visit_id = ANY(%s)", [ids])
        cursor.execute("UPDATE audits_visit SET recheck_of_id = NULL WHERE id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM audits_scorefact WHERE store_id = ANY(%s)", [stores])
        cursor.execute("DELETE FROM audits_questionfact WHERE region_id = ANY(%s)", [regions])
    purge(Visit.objects.filter(pk__in=ids))
    people = User.objects.filter(personnel_number__startswith=PREFIX)
    purge(Checklist.objects.filter(title=CHECKLIST_TITLE, created_by__in=people))
    purge(people)
    purge(Store.objects.filter(pk__in=stores))
    purge(Region.objects.filter(pk__in=regions))


def _folder_remove(folder: str) -> None:
    """The visit's folder of photos, once empty (a storage on disk keeps it otherwise)."""
    try:
        path = Path(default_storage.path(folder))
    except NotImplementedError:  # a storage without folders on disk
        return
    with contextlib.suppress(OSError):  # not there, or not empty
        path.rmdir()


def leftovers() -> dict[str, int]:
    """What of the bench is still in the database (all zero after `bench_cleanup`)."""
    return {
        "regions": Region.objects.filter(code__startswith=REGION_PREFIX).count(),
        "stores": Store.objects.filter(code__startswith=STORE_PREFIX).count(),
        "people": User.objects.filter(personnel_number__startswith=PREFIX).count(),
        "checklists": Checklist.objects.filter(title=CHECKLIST_TITLE).count(),
        "visits": _bench_visits().count(),
    }


def timed(say: Callable[[str], None], label: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = work()
    say(f"{label}: {time.perf_counter() - started:.1f} s")
    return result
