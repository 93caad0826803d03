"""Demo content of the SOP library, published and confirmed through the real services.

History is laid out the way a chain that launched its LP a few weeks ago would have it:
pages published about six weeks back, most people confirmed, some overdue, one material
revision of «bonuses not credited» three days ago (its readers are asked again), one
minor fix that asked nobody, and a draft waiting for review.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Page

from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS, DEMO_STORE_CODE, SEED
from portal.org.models import Region, Store, User
from portal.sop import selectors, services
from portal.sop.audience import Placement
from portal.sop.choices import Aspect, ChangeKind
from portal.sop.demo_content import MATERIAL_REVISION, MINOR_REVISION, SCRIPTS, SOPS
from portal.sop.models import ReadablePage, ScriptPage, SopIndexPage, SopPage, SopVersion

PUBLISHED_DAYS_AGO = 42
MINOR_DAYS_AGO = 10
MATERIAL_DAYS_AGO = 3
# The named seller has confirmed everything but these (and confirmed «bonuses not
# credited» before its material revision, so it asks again with the changes shown).
SELLER_OVERDUE = {"sop-questionnaire", "script-promotions"}
REVIEW_OVERDUE = {"sop-promotions": 12, "script-promotions": 3}  # days past review-by
DRAFT_IN_REVIEW = "sop-questionnaire"


@dataclass
class SopDemoReport:
    pages_created: int = 0
    confirmations: int = 0


def _login(role: str) -> User:
    email = next(d.email for d in DEMO_LOGINS if d.role == role)
    return User.objects.select_related("store").get(email=email)


def _block_id(slug: str, index: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lp-demo:{slug}:{index}"))


def _raw_body(slug: str, body: list, previous: list[dict] | None = None) -> str:
    """Stream JSON; a revised body keeps the ids of blocks it carries over, so readers see
    exactly which blocks are new or changed."""
    unmatched = list(previous or [])
    raw = []
    for index, (kind, value) in enumerate(body):
        if kind == "steps":
            value = [{"title": title, "detail": detail} for title, detail in value]
        elif kind == "script":
            value = ScriptPage.objects.get(slug=value).pk
        same = next((b for b in unmatched if b["type"] == kind and b["value"] == value), None)
        if same is None:
            same = next((b for b in unmatched if b["type"] == kind and b["index"] == index), None)
        block_id = same["id"] if same else _block_id(slug, index + 1000 * bool(previous))
        if same:
            unmatched.remove(same)
        raw.append({"type": kind, "value": value, "id": block_id, "index": index})
    return json.dumps(raw, ensure_ascii=False)


def _strip_index(raw: str) -> str:
    return json.dumps(
        [{k: v for k, v in b.items() if k != "index"} for b in json.loads(raw)], ensure_ascii=False
    )


def _raw_steps(slug: str, steps: list) -> str:
    raw = []
    for index, (kind, value) in enumerate(steps):
        if kind == "branch":
            value = {"condition": value["condition"], "steps": list(value["steps"])}
        raw.append({"type": kind, "value": value, "id": _block_id(slug, index)})
    return json.dumps(raw, ensure_ascii=False)


def _common(data: dict, owner: User) -> dict:
    return {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data["summary"],
        "audience_roles": data["roles"],
        "mandatory": data.get("mandatory", True),
        "due_days": data.get("due_days", 7),
        "content_owner": owner,
        "review_by": timezone.localdate() - timedelta(days=REVIEW_OVERDUE[data["slug"]])
        if data["slug"] in REVIEW_OVERDUE
        else timezone.localdate() + timedelta(days=180),
        "change_kind": ChangeKind.MATERIAL,
    }


def _publish(
    page: ReadablePage, *, author: User, days_ago: int, reviewer: User | None = None
) -> SopVersion:
    """Publish a revision of the demo's history; with a `reviewer`, as the CMS does it: the
    author submits it to the review and a second person approves it."""
    revision = page.save_revision(user=author)
    workflow = page.get_workflow() if reviewer else None
    if workflow:
        task_state = workflow.start(page, author).current_task_state
        task_state.task.specific.on_action(task_state, reviewer, "approve")
    else:
        revision.publish(user=author)
    version = SopVersion.objects.get(revision=revision)
    # Demo history: this publication happened `days_ago` days before today.
    SopVersion.objects.filter(pk=version.pk).update(
        published_at=timezone.now() - timedelta(days=days_ago)
    )
    return version


def _create_pages(index: SopIndexPage, owner: User, report: SopDemoReport) -> None:
    for data in SCRIPTS:
        if ScriptPage.objects.filter(slug=data["slug"]).exists():
            continue
        page = ScriptPage(
            **_common(data, owner),
            aspect=Aspect.CUSTOMER_WORK,
            category=data["category"],
            trigger=data["trigger"],
            steps=_raw_steps(data["slug"], data["steps"]),
            phrases_to_use="\n".join(data["phrases_to_use"]),
            phrases_to_avoid="\n".join(data["phrases_to_avoid"]),
            escalation=data["escalation"],
        )
        index.add_child(instance=page)
        _publish(page, author=owner, days_ago=PUBLISHED_DAYS_AGO)
        report.pages_created += 1
    for data in SOPS:
        if SopPage.objects.filter(slug=data["slug"]).exists():
            continue
        page = SopPage(
            **_common(data, owner),
            aspect=data["aspect"],
            body=_strip_index(_raw_body(data["slug"], data["body"])),
        )
        index.add_child(instance=page)
        _publish(page, author=owner, days_ago=PUBLISHED_DAYS_AGO)
        report.pages_created += 1


def _second_lp_manager(owner: User) -> User | None:
    return (
        User.objects.filter(role=Role.LP_MANAGER, is_active=True)
        .exclude(pk=owner.pk)
        .order_by("personnel_number")
        .first()
    )


def _revise(owner: User) -> None:
    for revision, kind, days_ago in (
        (MINOR_REVISION, ChangeKind.MINOR, MINOR_DAYS_AGO),
        (MATERIAL_REVISION, ChangeKind.MATERIAL, MATERIAL_DAYS_AGO),
    ):
        page = SopPage.objects.get(slug=revision["slug"])
        if page.versions.count() > 1:
            continue
        previous = [
            {"type": b.block_type, "value": b.block.get_prep_value(b.value), "id": b.id, "index": i}
            for i, b in enumerate(page.body)
        ]
        for block in previous:  # compare with the stored values as the demo writes them
            block["value"] = _as_written(block["value"])
        page.body = _strip_index(_raw_body(page.slug, revision["body"], previous))
        page.change_kind = kind
        page.change_summary = revision["change_summary"]
        # A material revision went live after a second LP manager approved it.
        reviewer = _second_lp_manager(owner) if kind == ChangeKind.MATERIAL else None
        _publish(page, author=owner, days_ago=days_ago, reviewer=reviewer)


def _as_written(value):
    """Stored list items carry ids ({"type": "item", "value": v, "id": …}); the demo's don't."""
    if isinstance(value, list):
        return [
            _as_written(item["value"])
            if isinstance(item, dict) and item.get("type") == "item"
            else _as_written(item)
            for item in value
        ]
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    return value


def _confirmation_time(rng: random.Random, version: SopVersion, latest: datetime) -> datetime:
    span = max((latest - version.published_at).total_seconds(), 3600)
    return version.published_at + timedelta(seconds=rng.uniform(600, span))


def _confirm_history(people: QuerySet[User]) -> int:
    """Most people confirmed the original versions; stores differ in discipline."""
    rng = random.Random(SEED + 7)
    seller = _login(Role.STORE_STAFF)
    discipline = {
        store_id: rng.uniform(0.55, 1.0) for store_id in Store.objects.values_list("pk", flat=True)
    }
    people = list(people.select_related("store").order_by("pk"))
    now = timezone.now()
    created = 0
    for page in ReadablePage.objects.live().filter(mandatory=True).order_by("pk"):
        first = page.versions.order_by("revision_id").first()
        audience = selectors.page_audience(page)
        entries = []
        for person in people:
            if not audience.admits(Placement.of(person)):
                continue
            if person.pk == seller.pk:
                confirmed = page.slug not in SELLER_OVERDUE
            else:
                confirmed = rng.random() < discipline.get(person.store_id, 0.9)
            if confirmed:
                latest = min(now, first.published_at + timedelta(days=page.due_days + 5))
                entries.append((person, _confirmation_time(rng, first, latest)))
        created += services.acknowledgements_record_bulk(
            page=page, revision_id=first.revision_id, entries=entries
        )
    return created


def _reconfirm_material_revision(people: QuerySet[User]) -> int:
    """In the three days since the material revision about a third confirmed it again."""
    rng = random.Random(SEED + 11)
    seller = _login(Role.STORE_STAFF)
    page = ReadablePage.objects.get(slug=MATERIAL_REVISION["slug"])
    version = page.versions.order_by("-revision_id").first()
    audience = selectors.page_audience(page)
    entries = [
        (person, _confirmation_time(rng, version, timezone.now()))
        for person in people.select_related("store").order_by("pk")
        if person.pk != seller.pk and audience.admits(Placement.of(person)) and rng.random() < 0.35
    ]
    return services.acknowledgements_record_bulk(
        page=page, revision_id=version.revision_id, entries=entries
    )


def _responsibilities() -> None:
    hq = User.objects.filter(is_active=True)
    lp = _login(Role.LP_MANAGER)
    supervisor = _login(Role.CALL_CENTER_SUPERVISOR)
    admin = _login(Role.ADMIN)
    trainer = hq.filter(role=Role.LP_MANAGER).exclude(pk=lp.pk).order_by("pk").first() or lp
    services.responsibility_set(actor=None, aspect=Aspect.OVERALL, person=lp)
    services.responsibility_set(actor=None, aspect=Aspect.TRAINING_CONTROL, person=trainer)
    services.responsibility_set(actor=None, aspect=Aspect.SUPPLY, person=trainer)
    services.responsibility_set(actor=None, aspect=Aspect.CUSTOMER_WORK, person=supervisor)
    services.responsibility_set(actor=None, aspect=Aspect.TECHNICAL_SUPPORT, person=admin)
    for region in Region.objects.order_by("code"):
        manager = hq.filter(role=Role.REGIONAL_MANAGER, region=region).order_by("pk").first()
        if manager:
            services.responsibility_set(
                actor=None, aspect=Aspect.TRAINING_CONTROL, person=manager, region=region
            )
    store = Store.objects.get(code=DEMO_STORE_CODE)
    services.responsibility_set(
        actor=None, aspect=Aspect.CUSTOMER_WORK, person=_login(Role.STORE_MANAGER), store=store
    )


def _draft_in_review(owner: User) -> None:
    page = SopPage.objects.get(slug=DRAFT_IN_REVIEW)
    if page.has_unpublished_changes:
        return
    page.summary = page.summary + " Добавлена электронная анкета в приложении."
    page.change_kind = ChangeKind.MINOR
    page.save_revision(user=owner)
    workflow = page.get_workflow()
    if workflow:
        workflow.start(page, owner)


def sop_demo_seed() -> SopDemoReport:
    """Build (or leave as is) the demo library. Idempotent."""
    report = SopDemoReport()
    owner = _login(Role.LP_MANAGER)
    home = Page.objects.filter(depth=2).order_by("path").first()
    services.sop_editorial_setup()
    index = services.sop_index_ensure(parent=home)
    fresh = not ReadablePage.objects.exists()
    _create_pages(index, owner, report)
    _responsibilities()
    if fresh:
        report.confirmations = _confirm_history(User.objects.filter(is_active=True))
        _revise(owner)
        report.confirmations += _reconfirm_material_revision(User.objects.filter(is_active=True))
        _draft_in_review(owner)
    return report
