"""What the training app adds to dashboards (registered in `TrainingConfig.ready`)."""

from __future__ import annotations

from portal.numbers import percent_of
from portal.org.choices import Role
from portal.org.models import Store
from training.selectors.learner import my_exams
from training.selectors.status import coverage_by_store, main_exams


def my_exams_panel(user) -> dict:
    cards = my_exams(user=user)
    return {"cards": cards, "show": bool(cards) or user.role == Role.STORE_STAFF}


def coverage_panel(user) -> dict:
    exam = main_exams().first()
    if exam is None:
        return {"exam": None}
    if user.role == Role.STORE_MANAGER and user.store_id:
        stores = Store.objects.filter(pk=user.store_id)
    elif user.role == Role.REGIONAL_MANAGER and user.region_id:
        stores = Store.objects.filter(region_id=user.region_id)
    else:
        stores = Store.objects.all()
    rows = coverage_by_store(stores=stores, exam=exam)
    people = sum(r.people for r in rows)
    certified = sum(r.certified for r in rows)
    return {
        "exam": exam,
        "people": people,
        "certified": certified,
        "overdue": sum(r.overdue for r in rows),
        "share": percent_of(certified, people),
    }
