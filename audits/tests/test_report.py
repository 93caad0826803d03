"""A published report: its A4 PDF mailed to the store's and the region's managers after
commit (through Celery), and a finding that came back from the store's previous visit."""

from __future__ import annotations

import pytest
from django.core import mail

from audits.selectors.visits import repeated_findings, visit_sections
from audits.services.review import visit_publish
from audits.tests.factories import question_keys, visit_submitted
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db
PHONE = "Кассир спросил номер телефона"


def test_publishing_mails_the_pdf_to_the_managers_after_commit(
    world, django_capture_on_commit_callbacks
):
    lp = world.people[Role.LP_MANAGER]
    visit = visit_submitted(world)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        visit_publish(actor=lp, visit=visit, follow_up=False)

    # Besides the notification's own e-mail (a link), one message carries the report.
    (message,) = [m for m in mail.outbox if m.attachments]
    assert set(message.to) == {
        world.people[Role.STORE_MANAGER].email,
        world.people[Role.REGIONAL_MANAGER].email,
    }
    ((name, content, kind),) = message.attachments
    assert (name, kind) == (f"{visit.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF") and len(content) > 1000
    assert visit.auditor.last_name.encode() not in content  # the shopper stays anonymous


def test_a_finding_failed_again_at_the_next_visit_is_flagged_as_repeated(world):
    lp = world.people[Role.LP_MANAGER]
    first = visit_publish(
        actor=lp, visit=visit_submitted(world, {PHONE: "no"}), announce=False, follow_up=False
    )
    other = person(Role.AUDITOR, store=None, region=None)
    second = visit_submitted(world, {PHONE: "no"}, auditor=other)

    key = question_keys(second)[PHONE]
    assert repeated_findings(visit=second) == {key}
    rows = [row for section in visit_sections(visit=second) for row in section.rows]
    assert [row.question.text for row in rows if row.repeated] == [PHONE]
    assert repeated_findings(visit=first) == set()  # nothing before it


def test_a_correction_that_passes_the_visit_cancels_its_recheck_and_one_that_fails_it_asks(
    world,
):
    from audits.choices import VisitReason, VisitStatus
    from audits.models import Visit
    from audits.services.review import visit_correct

    lp = world.people[Role.LP_MANAGER]
    failed = visit_publish(
        actor=lp, visit=visit_submitted(world, {PHONE: "no"}), announce=False, follow_up=False
    )
    recheck = Visit.objects.get(recheck_of=failed)
    key = question_keys(failed)[PHONE]

    visit_correct(actor=lp, visit=failed, key=key, value="yes", reason="Запись с камеры")

    recheck.refresh_from_db()
    assert recheck.status == VisitStatus.CANCELLED
    visit_correct(actor=lp, visit=failed, key=key, value="no", reason="Проверено повторно")

    # Failed again: its re-check is planned again (one re-check per visit, with history).
    recheck.refresh_from_db()
    assert recheck.status == VisitStatus.PLANNED
    assert Visit.objects.filter(reason=VisitReason.RECHECK).count() == 1
    assert [e.kind for e in recheck.events.all()] == ["scheduled", "cancelled", "scheduled"]
