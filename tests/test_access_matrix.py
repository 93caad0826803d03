"""The role × scope access matrix: every URL of the portal, every role.

Outcomes: 200 allowed, 403 visible but not permitted, 404 outside the user's scope (never
reveal that the object exists), LOGIN redirect for anonymous users. Every 200 page is also
searched for links to stores, regions and people outside the user's scope.

A URL pattern with no entry here fails `test_every_url_has_a_matrix_entry`: add the entry
(and think about who may open it) when you add a view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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


# Query variants of the pages above: every export (`?format=`) and filter, for every role.
BOARD = outcomes(
    403, regional_manager=200, lp_manager=200, admin=200, store_staff=302, store_manager=302
)
BOARD_PDF = outcomes(403, regional_manager=200, lp_manager=200, admin=200)
KPI_STORE_A1 = outcomes(200, auditor=404, **CC_FORBIDDEN)
KPI_STORE_A2 = outcomes(200, store_staff=404, store_manager=404, auditor=404, **CC_FORBIDDEN)
PEOPLE_A1 = outcomes(200, store_staff=403, auditor=404, **CC_FORBIDDEN)
OWN_REGION = outcomes(404, regional_manager=200, lp_manager=200, admin=200, **CC_FORBIDDEN)
TRAINING_OWNERS = outcomes(403, lp_manager=200, admin=200)
# A period that does not exist: the page says which field is wrong, an export answers 400.
BAD_PERIOD = {"period": "custom", "start": "2026-10-10", "end": "2026-10-01"}
OTHER_BOARD = {"period": "week", "week": "2026-W42", "kpi": "average_receipt"}


def variants(url_name, target, kwargs=lambda w, role: {}, *queries, expect=None):
    return [Case(url_name, target, kwargs, expect or outcomes(200), query=q) for q in queries]


def _but(table: dict, **overrides) -> dict:
    return table | overrides


VARIANTS: list[Case] = [
    *variants(
        "kpi:leaderboard",
        "network or own region",
        lambda w, role: {},
        {"format": "csv"},
        {"region": "RA"},
        {"region": "all"},
        OTHER_BOARD,
        {"period": "month", "month": "2026-10", "format": "csv"},
        {"kpi": "contact_capture", "region": "RA", "format": "csv"},
        {"period": "custom", "start": "2026-10-01", "end": "2026-10-31", "format": "csv"},
        BAD_PERIOD,
        {"kpi": "profit"},
        expect=BOARD,
    ),
    *variants(
        "kpi:leaderboard",
        "other region B",
        lambda w, role: {},
        {"region": "RB"},
        {"region": "RB", "format": "csv"},
        expect=_but(BOARD, regional_manager=404),
    ),
    *variants(
        "kpi:leaderboard",
        "an export of a wrong period",
        lambda w, role: {},
        BAD_PERIOD | {"format": "csv"},
        expect=_but(BOARD, regional_manager=400, lp_manager=400, admin=400),
    ),
    *variants(
        "kpi:leaderboard_pdf",
        "network or own region",
        lambda w, role: {},
        {"region": "RA"},
        {"region": "all"},
        OTHER_BOARD | {"region": "RA"},
        expect=BOARD_PDF,
    ),
    *variants(
        "kpi:leaderboard_pdf",
        "other region B",
        lambda w, role: {},
        {"region": "RB"},
        expect=_but(BOARD_PDF, regional_manager=404),
    ),
    *variants(
        "kpi:leaderboard_pdf",
        "a wrong period",
        lambda w, role: {},
        BAD_PERIOD,
        expect=_but(BOARD_PDF, regional_manager=400, lp_manager=400, admin=400),
    ),
    *variants(
        "kpi:store",
        "own store A1",
        store("A1"),
        {"format": "csv"},
        OTHER_BOARD,
        OTHER_BOARD | {"format": "csv"},
        {"period": "month", "month": "2026-10"},
        BAD_PERIOD,
        expect=KPI_STORE_A1,
    ),
    *variants(
        "kpi:store",
        "own store A1, an export of a wrong period",
        store("A1"),
        BAD_PERIOD | {"format": "csv"},
        expect=_but(KPI_STORE_A1, **{r: 400 for r in ALL_ROLES if KPI_STORE_A1[r] == 200}),
    ),
    *variants("kpi:store", "same region A2", store("A2"), {"format": "csv"}, expect=KPI_STORE_A2),
    *variants(
        "kpi:store",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        OTHER_BOARD,
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "org:store_list", "scoped list", lambda w, role: {}, {"region": "RA"}, {"region": "RB"}
    ),
    *variants(
        "org:store_list_csv",
        "scoped export",
        lambda w, role: {},
        {"region": "RA"},
        {"region": "RB"},
        {"q": "A"},
    ),
    *variants(
        "org:store_people",
        "own store A1",
        store("A1"),
        {"format": "csv"},
        {"format": "pdf"},
        expect=PEOPLE_A1,
    ),
    *variants(
        "org:store_people",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        {"format": "pdf"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "sop:compliance",
        "network, or the level one follows",
        lambda w, role: {},
        {"format": "csv"},
        expect=outcomes(403, lp_manager=200, admin=200, store_manager=302, regional_manager=302),
    ),
    *variants(
        "sop:compliance_region",
        "own region A",
        lambda w, role: {"code": "RA"},
        {"format": "csv"},
        expect=OWN_REGION,
    ),
    *variants(
        "sop:compliance_region",
        "other region B",
        lambda w, role: {"code": "RB"},
        {"format": "csv"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "sop:compliance_store", "own store A1", store("A1"), {"format": "csv"}, expect=PEOPLE_A1
    ),
    *variants(
        "sop:compliance_store",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "training:coverage",
        "network, region, or one's store",
        lambda w, role: {},
        {"format": "csv"},
        {"region": "RA"},
        {"region": "RA", "format": "csv"},
        {"exam": "lp-exam", "format": "csv"},
        expect=outcomes(403, lp_manager=200, admin=200, regional_manager=200, store_manager=302),
    ),
    *variants(
        "training:coverage",
        "other region B (a regional manager keeps their own)",
        lambda w, role: {},
        {"region": "RB", "format": "csv"},
        expect=outcomes(403, lp_manager=200, admin=200, regional_manager=200, store_manager=302),
    ),
    *variants(
        "training:store_report", "own store A1", store("A1"), {"format": "csv"}, expect=PEOPLE_A1
    ),
    *variants(
        "training:store_report",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "training:gaps",
        "knowledge gaps",
        lambda w, role: {"code": "lp-exam"},
        {"by": "region"},
        expect=TRAINING_OWNERS,
    ),
    *variants(
        "training:bank",
        "export",
        lambda w, role: {},
        {"format": "xml"},
        {"format": "csv"},
        expect=TRAINING_OWNERS,
    ),
]

MATRIX: list[Case] = [
    Case("home:dashboard", "own dashboard"),
    Case("home:favicon", "the site icon", expect=outcomes(301), anonymous=301),
    Case("org:store_list", "scoped list"),
    Case("org:store_list_csv", "scoped export"),
    # Stores: own store A1, same-region store A2, other-region store B1.
    Case("org:store_detail", "own store A1", store("A1"), outcomes(200, auditor=404)),
    Case(
        "org:store_detail",
        "same region A2",
        store("A2"),
        outcomes(200, store_staff=404, store_manager=404, auditor=404),
    ),
    Case(
        "org:store_detail",
        "other region B1",
        store("B1"),
        outcomes(200, store_staff=404, store_manager=404, auditor=404, regional_manager=404),
    ),
    Case(
        "org:store_people",
        "own store A1",
        store("A1"),
        outcomes(200, store_staff=403, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "org:store_people",
        "same region A2",
        store("A2"),
        outcomes(200, store_staff=404, store_manager=404, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "org:store_people",
        "other region B1",
        store("B1"),
        ONLY_LP_AND_ADMIN,
    ),
    Case(
        "org:region_detail",
        "own region A",
        lambda w, role: {"code": "RA"},
        outcomes(404, regional_manager=200, lp_manager=200, admin=200, **CC_FORBIDDEN),
    ),
    Case(
        "org:region_detail",
        "other region B",
        lambda w, role: {"code": "RB"},
        ONLY_LP_AND_ADMIN,
    ),
    # People: oneself, a colleague in A1, staff of A2 and B1, the manager of region B.
    Case(
        "org:person_detail",
        "oneself",
        lambda w, role: {"personnel_number": w.people[role].personnel_number},
    ),
    Case(
        "org:person_detail",
        "colleague in A1",
        person_of("colleague_a1"),
        outcomes(200, store_staff=403, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "org:person_detail",
        "staff of A2",
        person_of("staff_a2"),
        outcomes(200, store_staff=404, store_manager=404, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "org:person_detail",
        "staff of B1",
        person_of("staff_b1"),
        ONLY_LP_AND_ADMIN,
    ),
    Case(
        "org:person_detail",
        "regional manager of B",
        person_of("manager_b"),
        ONLY_LP_AND_ADMIN,
    ),
    Case("org:import", "form", expect=outcomes(403, admin=200)),
    Case(
        "org:import_template",
        "stores template",
        lambda w, role: {"kind": "stores"},
        outcomes(403, admin=200),
    ),
    # Accounts.
    Case("login", "logged in are sent on", expect=outcomes(302), anonymous=200),
    Case("logout", "post", expect=outcomes(302), anonymous=302, method="post"),
    # The second factor: verified sessions (and roles without one) are sent on.
    Case("second_factor_verify", "verified or not needed", expect=outcomes(302)),
    Case("second_factor_enrol", "verified or not needed", expect=outcomes(302)),
    Case(
        "second_factor_recovery_codes",
        "own codes",
        expect=outcomes(
            302, admin=200, lp_manager=200, regional_manager=200, call_center_supervisor=200
        ),
    ),
    Case("password_change", "form"),
    Case("password_change_done", "page"),
    Case("password_reset", "form", anonymous=200),
    Case("password_reset_done", "page", anonymous=200),
    Case(
        "password_reset_confirm",
        "invalid link",
        lambda w, role: {"uidb64": "MQ", "token": "bad-token"},
        anonymous=200,
    ),
    Case("password_reset_complete", "page", anonymous=200),
    Case("health", "report", anonymous=200),
    Case(
        "set_language",
        "post",
        expect=outcomes(302),
        anonymous=302,
        method="post",
        data={"language": "en", "next": "/"},
    ),
    # Wagtail front end: content needs a login; documents too.
    Case("wagtail_serve", "knowledge base root", lambda w, role: {"_args": [""]}),
    Case(
        "wagtaildocs_serve",
        "missing document",
        lambda w, role: {"_args": [999999, "x.pdf"]},
        outcomes(404),
    ),
    # Files of the CMS: a document and an image used on the SOP for everyone (every role is
    # in its audience) and on the SOP for B1's sellers only (everyone here is outside it);
    # content owners get both.
    Case(
        "wagtaildocs_serve",
        "document on the SOP for everyone (in audience)",
        lambda w, role: {"_args": [w.doc_all.pk, w.doc_all.filename]},
    ),
    Case(
        "wagtaildocs_serve",
        "document on the SOP for B1 only (out of audience)",
        lambda w, role: {"_args": [w.doc_b1.pk, w.doc_b1.filename]},
        outcomes(404, lp_manager=200, admin=200),
    ),
    Case(
        "private_media",
        "stored path of the document for B1 only (out of audience)",
        lambda w, role: {"path": w.doc_b1.file.name},
        outcomes(404, lp_manager=200, admin=200),
    ),
    Case(
        "private_media",
        "image on the SOP for everyone (in audience)",
        lambda w, role: {"path": w.image_all.file.name},
    ),
    Case(
        "private_media",
        "rendition of the image on the SOP for everyone (in audience)",
        lambda w, role: {"path": w.rendition_all.file.name},
    ),
    Case(
        "private_media",
        "image on the SOP for B1 only (out of audience)",
        lambda w, role: {"path": w.image_b1.file.name},
        outcomes(404, lp_manager=200, admin=200),
    ),
    Case(
        "private_media",
        "rendition of the image on the SOP for B1 only (out of audience)",
        lambda w, role: {"path": w.rendition_b1.file.name},
        outcomes(404, lp_manager=200, admin=200),
    ),
    # SOP library: a page for everyone, and one for the sellers of B1 only.
    Case("sop:library", "own library"),
    Case("sop:search", "search", expect=outcomes(200)),
    Case("sop:responsibilities", "registry"),
    Case(
        "wagtail_serve", "SOP for everyone", lambda w, role: {"_args": [w.sop_all.url_path_in_site]}
    ),
    Case(
        "wagtail_serve",
        "SOP for B1 only",
        lambda w, role: {"_args": [w.sop_b1.url_path_in_site]},
        outcomes(404, lp_manager=200, admin=200),
    ),
    Case("sop:print", "SOP for everyone", lambda w, role: {"page_id": w.sop_all.pk}),
    Case(
        "sop:print",
        "SOP for B1 only",
        lambda w, role: {"page_id": w.sop_b1.pk},
        outcomes(404, lp_manager=200, admin=200),
    ),
    Case(
        "sop:acknowledge",
        "SOP for everyone",
        lambda w, role: {"page_id": w.sop_all.pk},
        outcomes(302),
        method="post",
        data={"understood": "on"},
    ),
    Case(
        "sop:acknowledge",
        "SOP for B1 only (content owners read it but are not asked to confirm)",
        lambda w, role: {"page_id": w.sop_b1.pk},
        outcomes(404, lp_manager=302, admin=302),
        method="post",
        data={"understood": "on"},
    ),
    Case(
        "sop:compliance",
        "network, or the level one follows",
        expect=outcomes(403, lp_manager=200, admin=200, store_manager=302, regional_manager=302),
    ),
    Case(
        "sop:compliance_region",
        "own region A",
        lambda w, role: {"code": "RA"},
        outcomes(404, regional_manager=200, lp_manager=200, admin=200, **CC_FORBIDDEN),
    ),
    Case(
        "sop:compliance_region",
        "other region B",
        lambda w, role: {"code": "RB"},
        ONLY_LP_AND_ADMIN,
    ),
    Case(
        "sop:compliance_store",
        "own store A1",
        store("A1"),
        outcomes(200, store_staff=403, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "sop:compliance_store",
        "same region A2",
        store("A2"),
        outcomes(200, store_staff=404, store_manager=404, auditor=404, **CC_FORBIDDEN),
    ),
    Case("sop:compliance_store", "other region B1", store("B1"), ONLY_LP_AND_ADMIN),
    # Training: the seller's open attempt and certificate; reports; the question bank.
    Case("training:home", "own exams"),
    # Only those an exam is addressed to may start it (its rule: sellers; or an
    # assignment): anyone else, an auditor or a superuser too, is refused with 403.
    Case(
        "training:begin",
        "the LP exam (a rule for sellers)",
        lambda w, role: {"code": "lp-exam"},
        outcomes(403, store_staff=302),
        method="post",
    ),
    Case(
        "training:begin",
        "an exam assigned to the store manager",
        lambda w, role: {"code": "refresher"},
        outcomes(403, store_manager=302),
        method="post",
    ),
    Case(
        "training:attempt",
        "the seller's open attempt",
        lambda w, role: {"attempt_id": w.open_attempt.pk},
        outcomes(404, store_staff=200),
    ),
    Case(
        "training:answer",
        "the seller's open attempt",
        lambda w, role: {"attempt_id": w.open_attempt.pk, "position": 1},
        outcomes(404, store_staff=302),
        method="post",
    ),
    Case(
        "training:result",
        "the seller's passed attempt",
        lambda w, role: {"attempt_id": w.passed_attempt.pk},
        outcomes(404, store_staff=200),
    ),
    Case(
        "training:submit",
        "the seller's open attempt",
        lambda w, role: {"attempt_id": w.open_attempt.pk},
        outcomes(404, store_staff=302),
        method="post",
    ),
    Case(
        "training:certificate",
        "the seller's certificate",
        lambda w, role: {"code": w.certificate.code},
        outcomes(200, auditor=404, call_center_agent=404, call_center_supervisor=404),
    ),
    Case("training:verify_form", "public box to type a code", anonymous=200),
    Case(
        "training:verify_form",
        "a typed code goes on to its check",
        expect=outcomes(302),
        anonymous=302,
        data={"code": "ab12 cd34"},
    ),
    Case(
        "training:verify",
        "public check",
        lambda w, role: {"code": w.certificate.code},
        anonymous=200,
    ),
    Case(
        "training:coverage",
        "network, region, or one's store",
        expect=outcomes(403, lp_manager=200, admin=200, regional_manager=200, store_manager=302),
    ),
    Case(
        "training:store_report",
        "own store A1",
        store("A1"),
        outcomes(200, store_staff=403, auditor=404, **CC_FORBIDDEN),
    ),
    Case("training:store_report", "other region B1", store("B1"), ONLY_LP_AND_ADMIN),
    Case(
        "training:items",
        "item analysis",
        lambda w, role: {"code": "lp-exam"},
        outcomes(403, lp_manager=200, admin=200),
    ),
    Case(
        "training:gaps",
        "knowledge gaps",
        lambda w, role: {"code": "lp-exam"},
        outcomes(403, lp_manager=200, admin=200),
    ),
    Case("training:bank", "import and export", expect=outcomes(403, lp_manager=200, admin=200)),
    # KPIs: managers rank stores; store people see their own store's place.
    Case(
        "kpi:leaderboard",
        "network or own region",
        expect=outcomes(
            403, regional_manager=200, lp_manager=200, admin=200, store_staff=302, store_manager=302
        ),
    ),
    Case(
        "kpi:leaderboard_pdf",
        "network or own region",
        expect=outcomes(403, regional_manager=200, lp_manager=200, admin=200),
    ),
    Case("kpi:definitions", "for everyone"),
    Case("kpi:my_store", "redirect", expect=outcomes(302)),
    Case(
        "kpi:store",
        "own store A1",
        store("A1"),
        outcomes(200, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "kpi:store",
        "same region A2",
        store("A2"),
        outcomes(200, store_staff=404, store_manager=404, auditor=404, **CC_FORBIDDEN),
    ),
    Case("kpi:store", "other region B1", store("B1"), ONLY_LP_AND_ADMIN),
    Case(
        "kpi:imports",
        "upload and log",
        expect=outcomes(403, regional_manager=200, lp_manager=200, admin=200),
    ),
    Case(
        "kpi:imports",
        "log filtered by status",
        expect=outcomes(403, regional_manager=200, lp_manager=200, admin=200),
        query={"status": "pending"},
    ),
    Case(
        "kpi:import_detail",
        "a regional manager's pending upload",
        lambda w, role: {"pk": _pending_batch(w).pk},
        outcomes(403, regional_manager=200, lp_manager=200, admin=200),
    ),
    # Decisions on a (fresh) pending upload of the regional manager: HQ only, never the
    # uploader; 302 back to the batch page.
    Case(
        "kpi:import_approve",
        "a regional manager's pending upload",
        lambda w, role: {"pk": _pending_batch(w).pk},
        outcomes(403, lp_manager=302, admin=302),
        method="post",
    ),
    Case(
        "kpi:import_reject",
        "a regional manager's pending upload",
        lambda w, role: {"pk": _pending_batch(w).pk},
        outcomes(403, lp_manager=302, admin=302),
        method="post",
        data={"reason": "Не из кассы"},
    ),
    Case(
        "kpi:import_revert",
        "a regional manager's pending upload",
        lambda w, role: {"pk": _pending_batch(w).pk},
        outcomes(403, lp_manager=302, admin=302),
        method="post",
        data={"reason": "Ошибка"},
    ),
    Case(
        "kpi:import_revert",
        "the LP manager's applied upload",
        lambda w, role: {"pk": _lp_batch(w).pk},
        outcomes(403, regional_manager=404, lp_manager=302, admin=302),
        method="post",
        data={"reason": "Ошибка"},
    ),
    Case(
        "kpi:import_template",
        "receipts template",
        expect=outcomes(403, regional_manager=200, lp_manager=200, admin=200),
    ),
    Case(
        "kpi:import_detail",
        "the LP manager's upload",
        lambda w, role: {"pk": _lp_batch(w).pk},
        outcomes(403, regional_manager=404, lp_manager=200, admin=200),
    ),
    Case(
        "wagtailcore_login",
        "page privacy login",
        expect=outcomes(200),
        anonymous=200,
    ),
    Case(
        "wagtailcore_authenticate_with_password",
        "unknown restriction",
        lambda w, role: {"page_view_restriction_id": 999999, "page_id": 999999},
        outcomes(404),
        anonymous=404,
    ),
    *VARIANTS,
    # POS API: token authentication, no session access (a staff login is not a POS token).
    Case("api:receipts", "session, no token", expect=outcomes(401), anonymous=401, method="post"),
    Case(
        "api:batch",
        "session, no token",
        lambda w, role: {"pk": 1},
        outcomes(401),
        anonymous=401,
    ),
    Case("api:schema", "public OpenAPI schema", expect=outcomes(200), anonymous=200),
    Case(
        "api:not_found",
        "any other URL under /api/ (JSON 404)",
        lambda w, role: {"path": "v1/batches/null,null/"},
        outcomes(404),
        anonymous=404,
    ),
]


def _lp_batch(world: World):
    from kpi.models import ImportBatch

    return ImportBatch.objects.get_or_create(
        filename="lp.csv", created_by=world.people[R.LP_MANAGER], source="upload", status="applied"
    )[0]


def _pending_batch(world: World):
    """A new upload of the regional manager, waiting for approval."""
    from kpi.models import ImportBatch

    return ImportBatch.objects.create(
        filename="region.csv",
        created_by=world.people[R.REGIONAL_MANAGER],
        source="upload",
        status="pending",
    )


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


@pytest.fixture
def sop_world(world: World) -> World:
    """The world with two published SOPs: one for every role, one for B1's sellers only."""
    from portal.sop.tests.factories import publish_sop

    world.sop_all = publish_sop(title="Для всех", roles=ALL_ROLES)
    world.sop_b1 = publish_sop(title="Только B1", roles=[R.STORE_STAFF], stores=[world.store_b1])
    for page in (world.sop_all, world.sop_b1):
        page.url_path_in_site = page.url.removeprefix("/pages/")
    _training_world(world)
    _files_world(world)
    return world


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
    AssignmentRule.objects.create(exam=exam, role=R.STORE_STAFF)
    refresher = sample_exam(code="refresher", title="Повторный экзамен")
    Assignment.objects.create(
        person=world.people[R.STORE_MANAGER], exam=refresher, reason="rule", due_on="2030-01-01"
    )


@pytest.mark.parametrize("case", MATRIX, ids=str)
def test_access_matrix(case: Case, sop_world: World, client):
    world = sop_world
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
ADMIN_PAGES = ["/admin/", "/admin/org/user/", "/admin/org/orgevent/", "/admin/axes/accessattempt/"]
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


def test_anonymous_gets_no_admin_site(client, db):
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
