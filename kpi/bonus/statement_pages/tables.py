"""The statement pages' tables, described once (`portal.tables`): the list of statements
(page and CSV) and a statement's store results (page and the store's PDF)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpi.bonus.choices import Outcome
from kpi.bonus.models import Statement, StoreResult
from kpi.bonus.statement_pages.brief import metric_text
from kpi.periods import Period
from portal.numbers import Kind
from portal.tables import Column, Table

TONES = {Outcome.TOP: "text-success", Outcome.PLAN_MET: "text-success"}
TONES |= {Outcome.BOTTOM: "text-danger", Outcome.PLAN_MISSED: "text-danger"}


def period_label(statement: Statement) -> str:
    return Period(statement.period_kind, statement.starts_on, statement.ends_on).label


def _where(statement: Statement) -> str:
    return statement.region.name if statement.region_id else str(_("network"))


def statements_table(rows: Sequence[Statement], *, with_totals: bool) -> Table:
    """Statements newest first; the totals for those who follow schemes (a store
    manager sees their own store's figures on the statement's page)."""
    columns = [
        Column(
            "period",
            _("Period"),
            value=period_label,
            link=lambda s: reverse("bonus:statement", args=[s.pk]),
            link_testid="statement-link",
        ),
        Column("scheme.name", _("Scheme")),
        Column("region", _("Region"), value=_where),
        Column("status", _("Status"), value=lambda s: s.get_status_display()),
    ]
    if with_totals:
        columns += [
            Column("awarded", _("Awarded"), Kind.MONEY, narrow=False),
            Column("deducted", _("Deducted"), Kind.MONEY, narrow=False),
            Column("adjusted", _("Adjustments"), Kind.MONEY, signed=True, narrow=False),
        ]
    return Table(
        columns,
        rows,
        row_attrs=lambda s: {"data-statement": s.pk, "data-status": s.status},
        testid="statements",
    )


def results_table(statement: Statement, rows: Sequence[StoreResult], *, links: bool) -> Table:
    """The stores of a statement by rank: value, plan, outcome, why not eligible, the
    people paid and the store's amount (on a phone: rank, store, outcome, amount)."""
    scheme = statement.scheme
    return Table(
        [
            Column("rank", _("Rank"), Kind.COUNT),
            Column(
                "store",
                _("Store"),
                value=lambda r: f"{r.store.code} · {r.store.name}",
                link=(lambda r: reverse("org:store_detail", args=[r.store.code]))
                if links
                else None,
            ),
            Column(
                "value",
                statement.metric_label,
                value=lambda r: metric_text(scheme, r.value),
                narrow=False,
            ),
            Column(
                "target",
                _("Plan"),
                value=lambda r: metric_text(scheme, r.target),
                narrow=False,
            ),
            Column(
                "outcome",
                _("Outcome"),
                value=lambda r: r.get_outcome_display(),
                css=lambda r: TONES.get(r.outcome, ""),
            ),
            Column(
                "ineligible",
                _("Not eligible because"),
                value=lambda r: r.get_ineligible_display(),
                narrow=False,
            ),
            Column("people", _("People"), Kind.COUNT, narrow=False),
            Column("amount", _("Amount"), Kind.MONEY, signed=True),
        ],
        rows,
        row_attrs=lambda r: {"data-store": r.store.code, "data-outcome": r.outcome},
        testid="store-results",
    )
