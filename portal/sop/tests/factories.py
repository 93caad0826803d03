"""Build SOP and script pages the way editors do: save a revision and publish it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from wagtail.models import Page

from portal.org.models import Region, Store, User
from portal.sop.choices import ChangeKind, ComplaintCategory
from portal.sop.models import ScriptPage, SopIndexPage, SopPage
from portal.sop.services import sop_index_ensure


def sop_index() -> SopIndexPage:
    home = Page.objects.filter(depth=2).order_by("path").first()
    return sop_index_ensure(parent=home)


def body(*paragraphs: str, ids: Iterable[str] | None = None) -> str:
    """A stream of paragraph blocks; pass `ids` to keep blocks' identity across revisions."""
    ids = list(ids) if ids is not None else [str(uuid.uuid4()) for _ in paragraphs]
    return json.dumps(
        [
            {"type": "paragraph", "value": f"<p>{text}</p>", "id": block_id}
            for text, block_id in zip(paragraphs, ids, strict=True)
        ],
        ensure_ascii=False,
    )


def _audience(page, regions: Iterable[Region], stores: Iterable[Store]) -> None:
    page.audience_regions = list(regions)
    page.audience_stores = list(stores)


def publish_sop(
    *,
    title: str = "Регистрация участника на кассе",
    roles: Iterable[str] = ("store_staff", "store_manager"),
    text: Iterable[str] = ("Предложите карту каждому покупателю.",),
    regions: Iterable[Region] = (),
    stores: Iterable[Store] = (),
    mandatory: bool = True,
    due_days: int = 7,
    author: User | None = None,
    slug: str | None = None,
) -> SopPage:
    index = sop_index()
    page = SopPage(
        title=title,
        slug=slug or f"sop-{uuid.uuid4().hex[:10]}",
        summary=f"Кратко: {title}",
        audience_roles=list(roles),
        mandatory=mandatory,
        due_days=due_days,
        body=body(*text),
        change_kind=ChangeKind.MATERIAL,
    )
    _audience(page, regions, stores)
    index.add_child(instance=page)
    page.save_revision(user=author).publish(user=author)
    return SopPage.objects.get(pk=page.pk)


def publish_script(
    *,
    title: str = "Скрипт: утеря карты",
    roles: Iterable[str] = ("store_staff", "call_center_agent"),
    trigger: str = "Я потерял карту, бонусы пропадут?",
    author: User | None = None,
) -> ScriptPage:
    index = sop_index()
    page = ScriptPage(
        title=title,
        slug=f"script-{uuid.uuid4().hex[:10]}",
        summary="Что делать, если клиент потерял карту",
        audience_roles=list(roles),
        category=ComplaintCategory.LOST_CARD,
        trigger=trigger,
        steps=json.dumps(
            [
                {
                    "type": "step",
                    "value": {"say": "Не волнуйтесь, бонусы сохранятся.", "do": ""},
                    "id": str(uuid.uuid4()),
                }
            ]
        ),
        phrases_to_use="Бонусы сохранятся\nМы заблокируем карту",
        phrases_to_avoid="Это ваши проблемы",
        escalation="Если карта не находится по телефону — на горячую линию.",
        change_kind=ChangeKind.MATERIAL,
    )
    index.add_child(instance=page)
    page.save_revision(user=author).publish(user=author)
    return ScriptPage.objects.get(pk=page.pk)


def revise(
    page: SopPage,
    *,
    kind: str,
    text: Iterable[str],
    summary: str = "",
    keep_ids: int = 0,
    author: User | None = None,
) -> SopPage:
    """Publish a new revision of `page`; its first `keep_ids` blocks keep their identity."""
    page = SopPage.objects.get(pk=page.pk)
    text = list(text)
    old_ids = [block.id for block in page.body][:keep_ids]
    new_ids = old_ids + [str(uuid.uuid4()) for _ in text[len(old_ids) :]]
    page.body = body(*text, ids=new_ids)
    page.change_kind = kind
    page.change_summary = summary
    page.save_revision(user=author).publish(user=author)
    return SopPage.objects.get(pk=page.pk)
