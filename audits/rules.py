"""Permissions of the audits app as django-rules predicates.

Visibility comes from the selectors (`checklist_get_visible`: 404 outside them); these
rules say what a role may do with what it sees (403). Role sets come from
`portal.org.rules`; the only one added here is the auditors'."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import owns_content, role_in

is_auditor = role_in(Role.AUDITOR)


@rules.predicate
def checklist_unpublished(user, checklist) -> bool:
    """Never published, or edited since its latest version."""
    from audits.selectors import checklist_unpublished as unpublished

    return checklist is not None and unpublished(checklist=checklist)


rules.add_perm("audits.open_checklists", owns_content | is_auditor)
rules.add_perm("audits.open_checklist", owns_content | is_auditor)
rules.add_perm("audits.publish_checklist", owns_content & checklist_unpublished)
rules.add_perm("audits.edit_checklist", owns_content)
