"""The audits' dashboard panels: the auditor's visits to make; the score of the level a
manager follows and what waits for them."""

from __future__ import annotations

import pytest

from audits.services.review import visit_publish
from audits.tests.factories import visit_assigned, visit_submitted
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


def _dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_auditor_sees_the_visits_to_make(client, world):
    visit_assigned(world)

    page = _dashboard(client, world.people[Role.AUDITOR])

    assert 'data-testid="panel-my-visits"' in page
    assert world.store_a1.name in page
    assert 'data-testid="panel-mystery-shopper"' not in page


def test_managers_see_the_score_and_what_waits_for_them(client, world):
    lp = world.people[Role.LP_MANAGER]
    waiting = visit_submitted(world)
    hq = _dashboard(client, lp)
    assert 'data-testid="panel-mystery-shopper"' in hq
    assert "На проверке визитов: 1; апелляций ждут решения: 0." in hq

    published = visit_publish(actor=lp, visit=waiting, announce=False, follow_up=False)
    store = _dashboard(client, world.people[Role.STORE_MANAGER])

    assert published.get_absolute_url() in store  # the latest report
    assert "На проверке" not in store
    assert 'data-testid="panel-my-visits"' not in store
    assert "panel-mystery-shopper" not in _dashboard(client, world.people[Role.STORE_STAFF])
