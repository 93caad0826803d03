"""Russian pages carry no English labels: the CMS's edit forms and block labels, and the
Django admin's column headers and forms, for every model we register.

A broad scan, not a list of known words: every `<label>`, `<legend>` and `<th>` of the
page must contain Cyrillic or be one of a few accepted codes (ID, URL, …).
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from wagtail import blocks

from conftest import World
from portal.org.choices import Role

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile("[А-Яа-яЁё]")
LATIN = re.compile("[A-Za-z]")
# Codes a Russian reader knows as they are.
ACCEPTED = {"ID", "URL", "E-mail", "e-mail", "Email", "CSV", "PDF", "API", "KPI", "POS", "SMS"}


class _LabelCollector(HTMLParser):
    """Texts of labels, legends and column headers (a `<th>` in a table body heads a row:
    its text is data, such as a region's code)."""

    TAGS = {"label", "legend", "th"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.in_body = 0
        self.parts: list[str] = []
        self.labels: list[str] = []

    def _counts(self, tag: str) -> bool:
        return tag in self.TAGS and not (tag == "th" and self.in_body)

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body += 1
        elif self._counts(tag):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "tbody" and self.in_body:
            self.in_body -= 1
        elif self._counts(tag) and self.depth:
            self.depth -= 1
            if not self.depth:
                self.labels.append(" ".join("".join(self.parts).split()))
                self.parts = []

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def english_labels(html: str) -> list[str]:
    """Labels and headers with Latin letters and no Cyrillic, outside the accepted codes."""
    collector = _LabelCollector()
    collector.feed(html)
    return sorted(
        {
            text
            for text in collector.labels
            if LATIN.search(text)
            and not CYRILLIC.search(text)
            and text.strip(" *:") not in ACCEPTED
        }
    )


def _walk(block: blocks.Block, path: str):
    yield path, block
    children = getattr(block, "child_blocks", None) or {}
    for name, child in children.items():
        yield from _walk(child, f"{path}.{name}")
    if isinstance(block, blocks.ListBlock):
        yield from _walk(block.child_block, f"{path}[]")


def test_every_stream_block_of_sop_and_script_pages_has_a_russian_label():
    from portal.sop.models import ReadablePage, ScriptPage, SopPage

    english = []
    with translation.override("ru"):
        for model in (SopPage, ScriptPage, ReadablePage):
            for field in model._meta.get_fields():
                stream = getattr(field, "stream_block", None)
                if stream is None:
                    continue
                for path, block in _walk(stream, f"{model.__name__}.{field.name}"):
                    label = str(block.label)
                    if path.count(".") > 1 and label and not CYRILLIC.search(label):
                        english.append(f"{path}: {label}")
    assert not english, english


OUR_APPS = {"portal", "training", "kpi", "audits", "incidents"}


def _our_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m.__module__.split(".")[0] in OUR_APPS]


def test_every_field_and_model_of_ours_has_a_russian_verbose_name():
    from wagtail.models import Page

    english = []
    with translation.override("ru"):
        for model in _our_models():
            names = [model._meta.verbose_name, model._meta.verbose_name_plural]
            if not all(CYRILLIC.search(str(name)) for name in names) or str(names[1])[-1] == "s":
                english.append(f"{model._meta.label}: {names[0]} / {names[1]}")
            for field in model._meta.get_fields():
                parent_link = getattr(field.remote_field, "parent_link", False)
                if not field.concrete or field.name == "id" or field.model is Page or parent_link:
                    continue  # reverse relations, keys, and Wagtail's own page fields
                label = str(field.verbose_name)
                if not CYRILLIC.search(label) and label.strip() not in ACCEPTED:
                    english.append(f"{model._meta.label}.{field.name}: {label}")
    assert not english, english


@pytest.fixture
def cms_world(world: World) -> World:
    """One object of every type the CMS and the admin list, so edit pages exist too."""
    from audits.tests.factories import checklist
    from kpi.models import Plan
    from kpi.pos import pos_token_issue
    from portal.events.cms import snippet_event_record
    from portal.imports.errors import ImportRejected
    from portal.notify.services import notify
    from portal.org.models import Store
    from portal.org.services import org_stores_import, person_admin_saved
    from portal.sop.services import responsibility_set
    from portal.sop.tests.factories import publish_script, publish_sop
    from training.models import Course
    from training.tests.factories import sample_exam

    world.sop = publish_sop()
    world.script = publish_script()
    world.exam = sample_exam()
    Course.objects.create(title="Основы программы лояльности")
    with contextlib.suppress(ImportRejected):  # a refused file: a batch-log row, nothing else
        org_stores_import(actor=world.people[Role.ADMIN], content=b"", filename="empty.csv")
    responsibility_set(
        actor=world.people[Role.LP_MANAGER],
        aspect="overall",
        person=world.people[Role.STORE_MANAGER],
        store=world.store_a1,
    )
    person_admin_saved(
        actor=world.people[Role.ADMIN], person=world.staff_a2, created=True, changed=[]
    )
    # Plans are written through the CMS's own form (no service): a row as it leaves.
    Plan.objects.create(
        kpi="penetration",
        region=world.region_a,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
        target=Decimal(65),
    )
    pos_token_issue(name="Кассы А", stores=Store.objects.filter(pk=world.store_a1.pk))
    notify(world.people[Role.STORE_STAFF], key="labels.item:1", title="Прочитайте СОП")
    snippet_event_record(
        world.exam,
        kind="edited",
        actor=world.people[Role.LP_MANAGER],
        payload={"changes": {"pass_mark": [60, 70]}},
    )
    checklist(author=world.people[Role.LP_MANAGER], title="Касса: карта", published=True)
    return world


def _assert_russian(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    found = english_labels(response.content.decode())
    assert not found, f"{url} shows English labels: {found}"


@pytest.mark.parametrize("page_type", ["sop", "script"])
def test_cms_page_editors_are_russian(cms_world, client, page_type):
    client.force_login(cms_world.people[Role.ADMIN])
    page = getattr(cms_world, page_type)
    _assert_russian(client, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    _assert_russian(
        client,
        reverse("wagtailadmin_pages:add", args=["sop", f"{page_type}page", page.get_parent().pk]),
    )


SNIPPETS = [
    ("kpi", "plan"),
    ("training", "exam"),
    ("training", "course"),
    ("training", "questioncategory"),
    ("sop", "responsibility"),
]


@pytest.mark.parametrize(("app", "model"), SNIPPETS, ids=lambda v: str(v))
def test_cms_snippet_lists_and_forms_are_russian(cms_world, client, app, model):
    from django.apps import apps

    client.force_login(cms_world.people[Role.ADMIN])
    _assert_russian(client, reverse(f"wagtailsnippets_{app}_{model}:list"))
    _assert_russian(client, reverse(f"wagtailsnippets_{app}_{model}:add"))
    obj = apps.get_model(app, model)._default_manager.first()
    assert obj is not None, "the list shows no column headers without a row"
    _assert_russian(client, reverse(f"wagtailsnippets_{app}_{model}:edit", args=[obj.pk]))


def _our_admin_models():
    return sorted(
        (model for model in admin.site._registry if model.__module__.split(".")[0] in OUR_APPS),
        key=lambda m: m._meta.label,
    )


@pytest.mark.parametrize("model", _our_admin_models(), ids=lambda m: m._meta.label)
def test_admin_changelists_and_forms_are_russian(cms_world, client, model):
    client.force_login(cms_world.people[Role.ADMIN])
    opts = model._meta
    obj = model._default_manager.first()
    assert obj is not None, "the list shows no column headers without a row"
    _assert_russian(client, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    _assert_russian(
        client, reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
