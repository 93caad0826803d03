"""What the training app adds to dashboards (registered in `TrainingConfig.ready`)."""

from __future__ import annotations

from portal.numbers import percent_of
from portal.org import selectors as org_selectors
from portal.org.rules import is_seller
from training.selectors.learner import my_exams
from training.selectors.status import coverage_total, main_exams


def my_exams_panel(user) -> dict:
    cards = my_exams(user=user)
    return {"cards": cards, "show": bool(cards) or is_seller.test(user)}


def coverage_panel(user) -> dict:
    exam = main_exams().first()
    if exam is None:
        return {"exam": None}
    # The panel is for those who follow stores: their store, their region or the network.
    total = coverage_total(stores=org_selectors.stores_visible_to(user=user), exam=exam)
    return {
        "exam": exam,
        "people": total.people,
        "certified": total.certified,
        "overdue": total.overdue,
        "share": percent_of(total.certified, total.people),
    }
