"""What the training app adds to dashboards (registered in `TrainingConfig.ready`)."""

from __future__ import annotations

from portal.numbers import percent_of
from portal.org import selectors as org_selectors
from portal.org.rules import is_seller
from training.selectors.learner import my_exams
from training.selectors.status import coverage_by_store, main_exams


def my_exams_panel(user) -> dict:
    cards = my_exams(user=user)
    return {"cards": cards, "show": bool(cards) or is_seller.test(user)}


def coverage_panel(user) -> dict:
    exam = main_exams().first()
    if exam is None:
        return {"exam": None}
    # The panel is for those who follow stores: their store, their region or the network.
    rows = coverage_by_store(stores=org_selectors.stores_visible_to(user=user), exam=exam)
    people = sum(r.people for r in rows)
    certified = sum(r.certified for r in rows)
    return {
        "exam": exam,
        "people": people,
        "certified": certified,
        "overdue": sum(r.overdue for r in rows),
        "share": percent_of(certified, people),
    }
