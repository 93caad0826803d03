"""The role × scope access matrix: every URL of the portal, every role.

Outcomes: 200 allowed, 403 visible but not permitted, 404 outside the user's scope (never
reveal that the object exists), LOGIN redirect for anonymous users. Every 200 page is also
searched for links to stores, regions and people outside the user's scope.

A URL pattern with no entry here fails `test_every_url_has_a_matrix_entry`: add the entry
(and think about who may open it) when you add a view.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World
from tests.access.cases import ALL_ROLES, ANON, DELEGATED_PREFIXES, LOGIN, Case, R
from tests.access.matrix import MATRIX

# Every test of the module works in the same world, built once (hundreds of cases, each
# opening its URL as nine people): a transaction holds it and is rolled back at the end,
# and each test runs in a savepoint of its own inside it, so what one test writes is gone
# before the next.
pytestmark = pytest.mark.django_db


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield (
                prefix + str(pattern.pattern),
                (namespace + pattern.name) if pattern.name else None,
            )


def test_every_url_has_a_matrix_entry():
    covered = {case.url_name for case in MATRIX}
    missing = [
        f"{route} (name={name})"
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(DELEGATED_PREFIXES) and name not in covered
    ]
    assert not missing, f"URLs without an entry in the access matrix: {missing}"


def _url(case: Case, world: World, role: str) -> str:
    kwargs = case.kwargs(world, role)
    if "_args" in kwargs:  # regex routes (Wagtail's) take positional arguments
        url = reverse(case.url_name, args=kwargs["_args"])
    else:
        url = reverse(case.url_name, kwargs=kwargs)
    return f"{url}?{urlencode(case.query)}" if case.query else url


def _out_of_scope_links(world: World, role: str) -> list[str]:
    """Links that must never appear on a page shown to `role` (homed in region A, store A1)."""
    visible_stores = {
        R.STORE_STAFF: {"A1"},
        R.STORE_MANAGER: {"A1"},
        R.REGIONAL_MANAGER: {"A1", "A2"},
        R.AUDITOR: set(),
    }.get(role, {"A1", "A2", "B1"})
    links = [f"/org/stores/{code}/" for code in {"A1", "A2", "B1"} - visible_stores]
    if role not in (R.LP_MANAGER, R.ADMIN):
        links.append(reverse("org:region_detail", kwargs={"code": "RB"}))
        links.append(reverse("org:person_detail", args=[world.staff_b1.personnel_number]))
    return links


def _request(client, case: Case, url: str):
    if case.method == "post":
        return client.post(url, case.data)
    return client.get(url, case.data)  # data of a GET case: its query string


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """The world with two published SOPs (one for every role, one for B1's sellers only),
    an exam passed and one open, and files on the SOPs."""
    from conftest import world_build
    from portal.sop.tests.factories import publish_sop

    with django_db_blocker.unblock(), transaction.atomic():
        world = world_build()
        _sop_world(world, publish_sop)
        yield world
        transaction.set_rollback(True)


def _sop_world(world: World, publish_sop) -> None:
    world.sop_all = publish_sop(title="Для всех", roles=ALL_ROLES)
    world.sop_b1 = publish_sop(title="Только B1", roles=[R.STORE_STAFF], stores=[world.store_b1])
    for page in (world.sop_all, world.sop_b1):
        page.url_path_in_site = page.url.removeprefix("/pages/")
    _training_world(world)
    _files_world(world)


def _files_world(world: World) -> None:
    """A document and an image on a page for every role, and on a page for B1's sellers."""
    from portal.files.tests.factories import document, image, publish_sop_using

    world.doc_all, world.doc_b1 = document(name="all.pdf"), document(name="b1.pdf")
    world.image_all, world.image_b1 = image(name="all.png"), image(name="b1.png")
    publish_sop_using(documents=[world.doc_all], images=[world.image_all], roles=ALL_ROLES)
    publish_sop_using(
        documents=[world.doc_b1],
        images=[world.image_b1],
        roles=[R.STORE_STAFF],
        stores=[world.store_b1],
    )
    world.rendition_all = world.image_all.get_rendition("max-960x720")
    world.rendition_b1 = world.image_b1.get_rendition("max-960x720")


def _training_world(world: World) -> None:
    """The seller passed the LP exam once (a certificate) and has a second attempt open;
    the store manager is assigned a refresher exam."""
    from training.models import Assignment, AssignmentRule, Certificate
    from training.services.attempts import answers_save, attempt_start, attempt_submit
    from training.tests.factories import right_answer, sample_exam

    seller = world.people[R.STORE_STAFF]
    exam = sample_exam(attempts_limit=0, cooloff_hours=0)
    passed = attempt_start(person=seller, exam=exam)
    for item in passed.questions.select_related("question"):
        answer = right_answer(item.question)
        answers_save(person=seller, attempt=passed, answers={item.position: answer})
    world.passed_attempt = attempt_submit(person=seller, attempt=passed)
    world.certificate = Certificate.objects.get(attempt=passed)
    world.open_attempt = attempt_start(person=seller, exam=exam)
    world.question_with_file = _question_file_world(world.open_attempt)
    AssignmentRule.objects.create(exam=exam, role=R.STORE_STAFF)
    refresher = sample_exam(code="refresher", title="Повторный экзамен")
    Assignment.objects.create(
        person=world.people[R.STORE_MANAGER], exam=refresher, reason="rule", due_on="2030-01-01"
    )


def _question_file_world(attempt):
    """A picture embedded in a question of the seller's open attempt (as a Moodle import
    stores it)."""
    import io

    from PIL import Image

    from training.services.bank_files import file_store

    picture = io.BytesIO()
    Image.new("RGB", (2, 2)).save(picture, format="PNG")
    question = attempt.questions.first().question
    question.extra = {"files": {"pic.png": file_store(name="pic.png", content=picture.getvalue())}}
    question.save(update_fields=["extra"])
    return question


@pytest.mark.parametrize("case", MATRIX, ids=str)
def test_access_matrix(case: Case, world: World, client):
    failures = []
    # Anonymous first.
    response = _request(client, case, _url(case, world, R.STORE_STAFF))
    if case.anonymous == LOGIN:
        if response.status_code != 302 or "/accounts/login/" not in response["Location"]:
            failures.append(f"{ANON}: expected login redirect, got {response.status_code}")
    elif response.status_code != case.anonymous:
        failures.append(f"{ANON}: expected {case.anonymous}, got {response.status_code}")

    for role in ALL_ROLES:
        client.force_login(world.people[role])
        url = _url(case, world, role)
        response = _request(client, case, url)
        expected = case.expect[role]
        if response.status_code != expected:
            failures.append(
                f"{role}: {case.method.upper()} {url} "
                f"expected {expected}, got {response.status_code}"
            )
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            body = response.content.decode()
            leaked = [link for link in _out_of_scope_links(world, role) if link in body]
            if leaked:
                failures.append(f"{role}: {url} shows out-of-scope links {leaked}")
        client.logout()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_store_lists_and_exports_show_exactly_the_scope(role: str, world: World, client):
    """The list and its CSV contain exactly the stores the role may see."""
    expected = {
        R.STORE_STAFF: {"A1"},
        R.STORE_MANAGER: {"A1"},
        R.REGIONAL_MANAGER: {"A1", "A2"},
        R.AUDITOR: set(),
    }.get(role, {"A1", "A2", "B1"})
    client.force_login(world.people[role])

    page = client.get(reverse("org:store_list")).content.decode()
    export = client.get(reverse("org:store_list_csv")).content.decode("utf-8-sig")

    listed = {code for code in ("A1", "A2", "B1") if f"/org/stores/{code}/" in page}
    exported = {line.split(";")[0] for line in export.splitlines()[1:]}
    assert listed == expected
    assert exported == expected


# Sub-pages of the two admin sites. Wagtail sends a person without the permission back
# to its dashboard (302), Django's admin to its login (302); 200 only where allowed.
CMS_PAGES = ["/cms/", "/cms/pages/", "/cms/documents/", "/cms/images/", "/cms/users/"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/org/user/",
    "/admin/org/orgevent/",
    "/admin/imports/importlog/",
    "/admin/axes/accessattempt/",
]
CMS_ALLOWED = {
    R.ADMIN: set(CMS_PAGES),
    R.LP_MANAGER: {"/cms/", "/cms/pages/", "/cms/documents/", "/cms/images/"},
}
SECOND_FACTOR_ROLES = [R.ADMIN, R.LP_MANAGER, R.REGIONAL_MANAGER, R.CALL_CENTER_SUPERVISOR]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_delegated_admin_sites(role: str, world: World, client):
    """Django admin is for admins only; the Wagtail admin for content owners."""
    client.force_login(world.people[role])

    failures = []
    for url in CMS_PAGES + ADMIN_PAGES:
        allowed = url in CMS_ALLOWED.get(role, set()) or (role == R.ADMIN and url in ADMIN_PAGES)
        response = client.get(url, follow=True)
        # Refused: sent to the site's login page or its home; allowed: the page itself, or
        # (the page explorer) the part of the tree the person may edit.
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        reached = landed.startswith(url) and "/login/" not in landed
        ok = response.status_code == 200 and reached == allowed
        if not ok:
            failures.append(f"{role}: {url} answered {response.status_code} at {landed}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", SECOND_FACTOR_ROLES)
def test_admin_sites_refuse_an_unverified_session(role: str, world: World, client):
    """Between the password and the code, every admin page sends the person to the code."""
    client.force_login(world.people[role], second_factor=False)

    held = {url: client.get(url) for url in CMS_PAGES + ADMIN_PAGES + ["/"]}

    wrong = [
        url
        for url, response in held.items()
        if response.status_code != 302
        or not response["Location"].startswith(reverse("second_factor_verify"))
    ]
    assert not wrong, f"{role}: not held at the second factor: {wrong}"


def test_anonymous_gets_no_admin_site(client):
    assert client.get("/admin/").status_code == 302
    assert client.get("/cms/").status_code == 302


def test_pos_api_with_another_pos_systems_token(world: World):
    """A POS system's token reaches its own stores and batches only: receipts of another
    system's store are refused (403, nothing written); another system's batch does not
    exist for it (404, as everything outside a scope)."""
    from rest_framework.test import APIClient

    from kpi.models import ImportBatch, Receipt
    from kpi.pos import pos_token_issue
    from portal.org.models import Store

    _, own_token = pos_token_issue(name="Кассы A", stores=Store.objects.filter(code="A1"))
    _, other_token = pos_token_issue(name="Кассы B", stores=Store.objects.filter(code="B1"))
    own, other = APIClient(), APIClient()
    own.credentials(HTTP_AUTHORIZATION=f"Token {own_token}")
    other.credentials(HTTP_AUTHORIZATION=f"Token {other_token}")
    one_receipt = {
        "store_code": "A1",
        "receipt_id": "R1",
        "issued_at": "2026-01-05T10:00:00+03:00",
        "amount": "10.00",
        "items": 1,
    }
    batch = own.post("/api/v1/receipts/", {"receipts": [one_receipt]}, format="json").json()
    receipts, batches = Receipt.objects.count(), ImportBatch.objects.count()

    foreign_post = other.post(
        "/api/v1/receipts/", {"receipts": [{**one_receipt, "receipt_id": "R2"}]}, format="json"
    )
    foreign_batch = other.get(reverse("api:batch", kwargs={"pk": batch["batch"]}))
    own_batch = own.get(reverse("api:batch", kwargs={"pk": batch["batch"]}))

    assert foreign_post.status_code == 403 and foreign_post.json()["stores"] == ["A1"]
    assert (Receipt.objects.count(), ImportBatch.objects.count()) == (receipts, batches) == (1, 1)
    assert foreign_batch.status_code == 404 and "detail" in foreign_batch.json()
    assert own_batch.status_code == 200
