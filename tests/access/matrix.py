"""Every URL of the portal, and what each role (and an anonymous visitor) gets from it.

Outcomes: 200 allowed, 403 visible but not permitted, 404 outside the user's scope (never
reveal that the object exists), LOGIN redirect for anonymous users.
"""

from __future__ import annotations

from tests.access.cases import (
    CC_FORBIDDEN,
    ONLY_LP_AND_ADMIN,
    Case,
    checklist,
    fresh_draft_checklist,
    lp_batch,
    notification_of,
    outcomes,
    pending_batch,
    person_of,
    store,
    visit_in,
    visit_photo_of,
)
from tests.access.matrix_bonus_flags import BONUS_FLAGS
from tests.access.matrix_bonus_schemes import BONUS_SCHEMES
from tests.access.matrix_bonus_scorecard import BONUS_SCORECARD
from tests.access.matrix_bonus_statements import BONUS_STATEMENTS
from tests.access.matrix_desk import DESK
from tests.access.matrix_desk_public import DESK_PUBLIC
from tests.access.matrix_desk_reports import DESK_REPORTS
from tests.access.variants import VARIANTS

# Visits (audits): the network sees every one; an auditor their own; the store side only
# published ones (store staff are told no: reports are their manager's); the hotline none.
ONLY_VISIT_OWNERS = outcomes(404, lp_manager=200, admin=200)
OWN_VISIT = outcomes(404, lp_manager=200, admin=200, auditor=200)
PUBLISHED_A1 = outcomes(
    404,
    store_staff=403,
    store_manager=200,
    regional_manager=200,
    lp_manager=200,
    admin=200,
    auditor=200,
)

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
    # Activation codes for people without e-mail: their store's manager or a manager above,
    # never for oneself. The slip (?format=pdf) exists only in the issuing session.
    Case(
        "org:person_activation",
        "oneself",
        lambda w, role: {"personnel_number": w.people[role].personnel_number},
        outcomes(403),
    ),
    Case(
        "org:person_activation",
        "colleague in A1",
        person_of("colleague_a1"),
        outcomes(200, store_staff=403, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "org:person_activation",
        "issue for a colleague in A1",
        person_of("colleague_a1"),
        outcomes(302, store_staff=403, auditor=404, **CC_FORBIDDEN),
        method="post",
    ),
    Case(
        "org:person_activation",
        "staff of A2",
        person_of("staff_a2"),
        outcomes(200, store_staff=404, store_manager=404, auditor=404, **CC_FORBIDDEN),
    ),
    Case("org:person_activation", "staff of B1", person_of("staff_b1"), ONLY_LP_AND_ADMIN),
    Case(
        "org:person_activation",
        "slip without a code issued in this session",
        person_of("colleague_a1"),
        outcomes(404, store_staff=403),
        query={"format": "pdf"},
    ),
    Case("activate", "form", expect=outcomes(302), anonymous=200),
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
    # The inbox: everyone has their own; another person's notification is 404.
    Case("notify:inbox", "own inbox"),
    Case("notify:inbox", "own inbox, a page past the end", query={"page": "99"}),
    Case(
        "notify:read",
        "own notification",
        notification_of(),
        outcomes(302),
        method="post",
    ),
    Case(
        "notify:read",
        "the seller's notification",
        notification_of("store_staff"),
        outcomes(404, store_staff=302),
        method="post",
    ),
    Case("notify:read_all", "own inbox", expect=outcomes(302), method="post"),
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
    # Withdrawing a certificate: HQ only; those who may open it (its holder, managers in
    # scope) are refused with 403, everyone else does not see it (404).
    Case(
        "training:certificate_revoke",
        "the seller's certificate: the confirm step",
        lambda w, role: {"code": w.certificate.code},
        outcomes(403, lp_manager=200, admin=200, auditor=404, **CC_FORBIDDEN),
    ),
    Case(
        "training:certificate_revoke",
        "the seller's certificate: withdrawn with a reason",
        lambda w, role: {"code": w.certificate.code},
        outcomes(403, lp_manager=302, admin=302, auditor=404, **CC_FORBIDDEN),
        method="post",
        data={"reason": "Экзамен сдан не самим сотрудником"},
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
    Case(
        "training:question_file",
        "a picture of a question in the seller's open attempt",
        lambda w, role: {"question_id": w.question_with_file.pk, "name": "pic.png"},
        outcomes(404, store_staff=200, lp_manager=200, admin=200),
    ),
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
        lambda w, role: {"pk": pending_batch(w).pk},
        outcomes(403, regional_manager=200, lp_manager=200, admin=200),
    ),
    # Decisions on a (fresh) pending upload of the regional manager: HQ only, never the
    # uploader; 302 back to the batch page.
    Case(
        "kpi:import_approve",
        "a regional manager's pending upload",
        lambda w, role: {"pk": pending_batch(w).pk},
        outcomes(403, lp_manager=302, admin=302),
        method="post",
    ),
    Case(
        "kpi:import_reject",
        "a regional manager's pending upload",
        lambda w, role: {"pk": pending_batch(w).pk},
        outcomes(403, lp_manager=302, admin=302),
        method="post",
        data={"reason": "Не из кассы"},
    ),
    Case(
        "kpi:import_revert",
        "a regional manager's pending upload",
        lambda w, role: {"pk": pending_batch(w).pk},
        outcomes(403, lp_manager=302, admin=302),
        method="post",
        data={"reason": "Ошибка"},
    ),
    Case(
        "kpi:import_revert",
        "the LP manager's applied upload",
        lambda w, role: {"pk": lp_batch(w).pk},
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
        lambda w, role: {"pk": lp_batch(w).pk},
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
    # Audits: checklists are the LP managers'; auditors see the published ones; nobody
    # else sees any (404), and the list says 403 to them.
    Case(
        "audits:checklists",
        "LP managers' and auditors' list",
        expect=outcomes(403, lp_manager=200, admin=200, auditor=200),
    ),
    Case(
        "audits:checklist_detail",
        "a draft",
        checklist(published=False),
        ONLY_LP_AND_ADMIN,
    ),
    Case(
        "audits:checklist_detail",
        "a published checklist",
        checklist(published=True),
        outcomes(404, lp_manager=200, admin=200, auditor=200),
    ),
    Case(
        "audits:checklist_publish",
        "a draft (a new one per role)",
        fresh_draft_checklist,
        outcomes(404, lp_manager=302, admin=302),
        method="post",
    ),
    Case(
        "audits:checklist_publish",
        "a published checklist (nothing to publish)",
        checklist(published=True),
        # A superuser passes every permission; publishing again changes nothing.
        outcomes(404, lp_manager=403, admin=302, auditor=403),
        method="post",
    ),
    # Visits: stores never see a visit before it is published, nor who the auditor is; an
    # auditor sees their own visits only. Store staff read no reports (their manager does).
    Case(
        "audits:visits",
        "the list, scoped",
        expect=outcomes(
            403,
            store_manager=200,
            regional_manager=200,
            lp_manager=200,
            admin=200,
            auditor=200,
        ),
    ),
    *[
        Case(
            "audits:visits",
            "the list, scoped",
            expect=outcomes(
                403,
                store_manager=200,
                regional_manager=200,
                lp_manager=200,
                admin=200,
                auditor=200,
            ),
            query=query,
        )
        for query in ({"format": "csv"}, {"status": "planned", "store": "B1"})
    ],
    *[
        Case(
            "audits:analytics",
            "the level followed",
            expect=outcomes(
                403, store_manager=200, regional_manager=200, lp_manager=200, admin=200
            ),
            query=query,
        )
        for query in (
            {},
            {"format": "csv", "table": "trend"},
            {"format": "csv", "table": "questions"},
            {"format": "pdf"},
            {"region": "RB"},  # HQ picks any region; the others' own level stands
        )
    ],
    Case(
        "audits:analytics",
        "calibration names the auditors: HQ only",
        expect=outcomes(403, store_manager=403, regional_manager=403, lp_manager=200, admin=200),
        query={"format": "csv", "table": "calibration"},
    ),
    Case("audits:plans", "visit plans", expect=outcomes(403, lp_manager=200, admin=200)),
    Case("audits:appeals", "appeals to decide", expect=outcomes(403, lp_manager=200, admin=200)),
    Case("audits:visit_detail", "planned, no auditor", visit_in("planned"), ONLY_VISIT_OWNERS),
    Case("audits:visit_detail", "the auditor's, assigned", visit_in("assigned"), OWN_VISIT),
    Case(
        "audits:visit_detail",
        "another auditor's, assigned",
        visit_in("assigned", auditor="other"),
        ONLY_VISIT_OWNERS,
    ),
    Case("audits:visit_detail", "the auditor's draft", visit_in("draft"), OWN_VISIT),
    Case("audits:visit_detail", "submitted", visit_in("submitted"), OWN_VISIT),
    Case("audits:visit_detail", "published, A1", visit_in("published"), PUBLISHED_A1),
    Case(
        "audits:visit_detail",
        "published, A1",
        visit_in("published"),
        PUBLISHED_A1,
        query={"format": "pdf"},
    ),
    Case(
        "audits:visit_detail",
        "draft",
        visit_in("draft"),
        OWN_VISIT,
        query={"format": "pdf"},
    ),
    Case(
        "audits:visit_detail",
        "published, B1, another auditor",
        visit_in("published", store_code="B1", auditor="other"),
        ONLY_VISIT_OWNERS,
    ),
    Case(
        "audits:visit_start",
        "the auditor's, assigned",
        visit_in("assigned"),
        outcomes(404, lp_manager=403, admin=302, auditor=302),
        method="post",
    ),
    Case(
        "audits:visit_fill",
        "the auditor's draft",
        visit_in("draft"),
        outcomes(404, lp_manager=403, admin=200, auditor=200),
    ),
    Case(
        "audits:visit_fill",
        "submitted (no longer editable)",
        visit_in("submitted"),
        outcomes(404, lp_manager=403, admin=200, auditor=403),
    ),
    Case(
        "audits:visit_answers",
        "the auditor's draft (not JSON: refused)",
        visit_in("draft"),
        outcomes(404, lp_manager=403, admin=400, auditor=400),
        method="post",
    ),
    *[
        Case(
            f"audits:{name}",
            "the auditor's draft",
            visit_in("draft"),
            outcomes(404, lp_manager=403, admin=302, auditor=302),
            method="post",
        )
        for name in ("visit_photo", "visit_submit")
    ],
    Case(
        "audits:visit_photo_delete",
        "a photo of another visit",
        lambda w, role: {**visit_in("draft")(w, role), "photo_pk": 999999},
        outcomes(404, lp_manager=403, admin=404, auditor=404),
        method="post",
    ),
    Case(
        "private_media",
        "a photo of the auditor's draft",
        visit_photo_of("draft"),
        outcomes(404, lp_manager=200, admin=200, auditor=200),
    ),
    *[
        Case(
            f"audits:{name}",
            "submitted",
            visit_in("submitted"),
            outcomes(404, lp_manager=302, admin=302, auditor=403),
            method="post",
        )
        for name in ("visit_review",)
    ],
    *[
        Case(
            f"audits:{name}",
            "the auditor's, assigned",
            visit_in("assigned"),
            outcomes(404, lp_manager=302, admin=302, auditor=403),
            method="post",
        )
        for name in ("visit_assign", "visit_cancel")
    ],
    *[
        Case(
            f"audits:{name}",
            "published, A1",
            visit_in("published"),
            outcomes(
                404,
                store_staff=403,
                store_manager=manager,
                regional_manager=403,
                lp_manager=lp,
                admin=302,
                auditor=403,
            ),
            method="post",
        )
        for name, manager, lp in (
            ("visit_acknowledge", 302, 403),
            ("appeal_create", 302, 403),
            ("action_create", 302, 403),
            ("visit_correct", 403, 302),
        )
    ],
    Case(
        "audits:appeal_decide",
        "an appeal that does not exist",
        lambda w, role: {"pk": 999999},
        outcomes(404),
        method="post",
    ),
    *[
        Case(
            f"audits:{name}",
            "an action that does not exist",
            lambda w, role: {"pk": 999999},
            outcomes(404),
            method="post",
        )
        for name in ("action_done", "action_verify")
    ],
    *VARIANTS,
    *DESK,
    *DESK_PUBLIC,
    *DESK_REPORTS,
    *BONUS_FLAGS,
    *BONUS_SCHEMES,
    *BONUS_SCORECARD,
    *BONUS_STATEMENTS,
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
