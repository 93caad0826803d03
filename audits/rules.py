"""Permissions of the audits app as django-rules predicates.

Visibility comes from the selectors (`checklist_get_visible`: 404 outside them); these
rules say what a role may do with what it sees (403). Role sets come from
`portal.org.rules`; the only one added here is the auditors'."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import follows_stores, owns_content, role_in

is_auditor = role_in(Role.AUDITOR)


@rules.predicate
def files_visits(user) -> bool:
    """An auditor by role (who may be given visits; superusers are not)."""
    return user.is_authenticated and user.is_active and user.role == Role.AUDITOR


@rules.predicate
def checklist_unpublished(user, checklist) -> bool:
    """Never published, or edited since its latest version."""
    from audits.selectors import checklist_unpublished as unpublished

    return checklist is not None and unpublished(checklist=checklist)


rules.add_perm("audits.open_checklists", owns_content | is_auditor)
rules.add_perm("audits.open_checklist", owns_content | is_auditor)
rules.add_perm("audits.publish_checklist", owns_content & checklist_unpublished)
rules.add_perm("audits.edit_checklist", owns_content)


# Visits. Visibility comes from `audits.selectors.visits.visit_get_visible` (404 outside
# it: a store never learns of a visit before it is published); these say what a role may
# do with a visit it sees.
@rules.predicate
def visit_is_theirs(user, visit) -> bool:
    return visit is not None and visit.auditor_id == user.pk


@rules.predicate
def visit_editable(user, visit) -> bool:
    from audits.choices import VISIT_OPEN

    return visit is not None and visit.status in VISIT_OPEN


@rules.predicate
def visit_submitted(user, visit) -> bool:
    return visit is not None and visit.status == "submitted"


@rules.predicate
def visit_published(user, visit) -> bool:
    return visit is not None and visit.status == "published"


@rules.predicate
def visit_unstarted(user, visit) -> bool:
    return visit is not None and visit.status in ("planned", "assigned")


@rules.predicate
def manages_visited_store(user, visit) -> bool:
    return (
        visit is not None
        and user.is_authenticated
        and user.role == Role.STORE_MANAGER
        and user.store_id == visit.store_id
    )


@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


@rules.predicate
def manages_action_store(user, action) -> bool:
    return action is not None and manages_visited_store(user, action.visit)


rules.add_perm("audits.open_visits", owns_content | is_auditor | follows_stores)
rules.add_perm(
    "audits.open_visit", owns_content | visit_is_theirs | (follows_stores & visit_published)
)
rules.add_perm("audits.see_auditor", owns_content)
rules.add_perm("audits.plan_visits", owns_content)
rules.add_perm("audits.assign_visit", owns_content & visit_unstarted)
rules.add_perm("audits.cancel_visit", owns_content & visit_unstarted)
rules.add_perm("audits.fill_visit", is_auditor & visit_is_theirs & visit_editable)
rules.add_perm("audits.review_visit", owns_content & visit_submitted & ~visit_is_theirs)
rules.add_perm("audits.correct_visit", owns_content & visit_published & ~visit_is_theirs)
rules.add_perm(
    "audits.print_visit", owns_content | visit_is_theirs | (follows_stores & visit_published)
)
rules.add_perm("audits.respond_to_visit", manages_visited_store & visit_published)
rules.add_perm("audits.decide_appeals", owns_content)
rules.add_perm("audits.finish_action", owns_action | manages_action_store)
rules.add_perm("audits.verify_action", manages_action_store | owns_content)
rules.add_perm("audits.open_analytics", owns_content | follows_stores)
rules.add_perm("audits.open_calibration", owns_content)
