"""Who may take an exam, follow certification, withdraw a certificate and manage the
question bank."""

from __future__ import annotations

import rules

from portal.org.rules import (
    follows_regions,
    follows_stores,
    owns_content,
    region_in_scope,
    store_in_scope,
)
from training.selectors import learner


@rules.predicate
def owns_certificate(user, certificate) -> bool:
    return certificate is not None and certificate.person_id == user.pk


@rules.predicate
def certificate_in_scope(user, certificate) -> bool:
    return certificate is not None and store_in_scope(user, certificate.person.store)


@rules.predicate
def exam_addressed(user, exam) -> bool:
    return exam is not None and learner.exam_addressed_to(person=user, exam=exam)


@rules.predicate
def question_in_own_attempt(user, question) -> bool:
    return question is not None and learner.question_in_attempt_of(person=user, question=question)


rules.add_perm("training.manage_bank", owns_content)
rules.add_perm("training.open_question_file", owns_content | question_in_own_attempt)
rules.add_perm("training.open_store_report", store_in_scope & follows_stores)
rules.add_perm("training.open_region_report", region_in_scope & follows_regions)
rules.add_perm("training.open_network_report", owns_content)
rules.add_perm(
    "training.open_certificate", owns_certificate | (certificate_in_scope & follows_stores)
)
# HQ withdraws a certificate (cheating found, issued by mistake); managers only see it.
rules.add_perm("training.revoke_certificate", owns_content)
# A rule, not a permission: a superuser earns no certificate for an exam not addressed to
# them (permissions pass every check for superusers).
rules.add_rule("training.take_exam", exam_addressed)
