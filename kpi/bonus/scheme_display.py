"""A scheme as people read it: its settings in words and money, the rules it pays by
(the tie rule, the rounding rule, the cap and the order of eligibility, as
`kpi.bonus.ledger` and `kpi.bonus.compute` state them), its events' changes, and the
simulation's ranking as a table described once (`portal.tables`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpi.bonus.choices import SCORECARD, Ineligible, Mode, Outcome, SchemeEventKind
from kpi.bonus.compute import metric_kpi, metric_label
from kpi.bonus.models import Scheme, SchemeEvent
from kpi.bonus.selectors.schemes import SimulatedStore, regions_named
from kpi.metrics import BY_CODE
from portal.numbers import Kind, format_number
from portal.tables import Column, Table

MONEY_FIELDS = {"award", "deduction", "deduction_cap", "budget_cap"}


@dataclass(frozen=True)
class Setting:
    label: str
    value: str
    testid: str = ""


def _money(value: Decimal | None) -> str:
    return format_number(value, Kind.MONEY)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def scheme_settings(scheme: Scheme, regions: list) -> list[Setting]:
    """Every setting of the scheme, as a sentence's parts people read."""
    zero_sum = scheme.mode == Mode.ZERO_SUM
    rows = [
        Setting(_("Metric"), metric_label(scheme), "metric"),
        Setting(_("Period"), scheme.get_period_display()),
        Setting(_("Ranked"), scheme.get_scope_display()),
        Setting(
            _("Regions"),
            ", ".join(r.name for r in regions) if regions else _("The whole network"),
            "regions",
        ),
        Setting(_("Who is paid"), scheme.get_payees_display()),
        Setting(_("Mode"), scheme.get_mode_display(), "mode"),
        Setting(_("Split of the pool"), scheme.get_split_display()),
    ]
    if zero_sum:
        rows.append(
            Setting(
                _("Top and bottom stores"),
                _("the best %(top)s and the worst %(bottom)s")
                % {"top": scheme.top_n, "bottom": scheme.bottom_n},
            )
        )
    else:
        rows.append(Setting(_("Award per person"), _money(scheme.award), "award"))
    rows += [
        Setting(_("Deduction per person"), _money(scheme.deduction), "deduction"),
        Setting(
            _("Deductions capped at (variable bonus per person)"),
            _money(scheme.deduction_cap),
            "cap",
        ),
    ]
    if not zero_sum:
        rows.append(
            Setting(
                _("Budget cap per period"),
                _money(scheme.budget_cap) if scheme.budget_cap is not None else _("none"),
            )
        )
    rows += [
        Setting(
            _("Minimum certified-staff coverage"),
            format_number(scheme.min_coverage, Kind.PERCENT)
            if scheme.min_coverage is not None
            else _("not required"),
        ),
        Setting(
            _("No award after a critical audit failure"), _yes_no(scheme.exclude_audit_failures)
        ),
        Setting(
            _("Suspends itself"),
            _("after the plan is met %(k)s periods in a row; resumes after %(l)s missed in a row")
            % {"k": scheme.suspend_after, "l": scheme.resume_after}
            if scheme.suspend_after
            else _("never"),
        ),
        Setting(_("Dispute window"), _("%(n)s days") % {"n": scheme.dispute_days}),
        Setting(
            _("Payroll codes"),
            _("accrual %(accrual)s, deduction %(deduction)s")
            % {"accrual": scheme.accrual_code, "deduction": scheme.deduction_code},
        ),
        Setting(_("In force from"), scheme.starts_on.strftime("%d.%m.%Y")),
    ]
    return rows


def scheme_rules(scheme: Scheme) -> dict[str, object]:
    """The rules the scheme pays by, in plain language (the page's «How it counts»)."""
    if scheme.mode == Mode.ZERO_SUM:
        mode = _(
            "The eligible stores are ranked on the metric. The people of the worst "
            "%(bottom)s stores each lose %(deduction)s (capped, see below); what they lose, "
            "and nothing more, is shared among the people of the best %(top)s stores. "
            "Awards minus deductions is exactly 0.00: the business pays nothing extra. "
            "With no one to receive it, no one pays."
        ) % {
            "top": scheme.top_n,
            "bottom": scheme.bottom_n,
            "deduction": _money(scheme.deduction),
        }
    else:
        mode = _(
            "Each eligible store is compared with its plan for the period: its people get "
            "%(award)s each at or above plan and lose %(deduction)s each below it (capped, "
            "see below). If the awards exceed the budget cap, the cap is shared among the "
            "awarded in proportion to their awards."
        ) % {"award": _money(scheme.award), "deduction": _money(scheme.deduction)}
    return {
        "mode": mode,
        "cap": _(
            "A deduction reduces the person's variable bonus and never goes beyond it: each "
            "person's deduction is capped at the lower of %(cap)s and their own variable "
            "bonus from HR. What a cap holds back is not taken from anyone else."
        )
        % {"cap": _money(scheme.deduction_cap)},
        "ties": _(
            "Stores whose values are equal as shown share a rank (1, 2, 2, 4), listed by "
            "more receipts, then by store code. Every store tied at the last chosen place "
            "is chosen too, so the top or the bottom may hold more stores than set. A store "
            "chosen for the top is never also at the bottom, and with fewer ranked stores "
            "than top plus bottom nobody is chosen: a zero-sum between too few stores is a "
            "lottery."
        ),
        "rounding": _(
            "Every amount is in roubles and kopecks. A sum shared among people is shared "
            "by weight (equal, FTE or a cashier's identified receipts): each share is "
            "rounded down to the kopeck, then the kopecks left over go one each to the "
            "largest remainders, equal remainders to the earlier person (store code, then "
            "personnel number). The shares add up to the sum exactly. A fixed award or "
            "deduction times a weight is rounded half up to the kopeck."
        ),
        "eligibility": [
            _("open for the whole period and active;"),
            _("the LP launched by the period's start (LP metrics);"),
            _("the leaderboards' minimum receipts, and a value of the metric;"),
            _("not held by an abuse flag;"),
            _(
                "certified-staff coverage at least the scheme's minimum, when set (a store "
                "without coverage data is not held for it);"
            ),
            _("no failed mystery-shopper visit in the period, when the scheme asks;"),
            _("not excluded after an accepted dispute;"),
            _("a plan for the period (plan threshold schemes)."),
        ],
        "payees": _(
            "Who is paid: the active people of the store's staff (or its managers) who had "
            "taken up their place by the period's end; or the cashiers by the receipts' "
            "cashier numbers (unknown numbers are shown, not paid). A cashier held by an "
            "abuse flag gets no award."
        ),
    }


# --- events -------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _readable(name: str, value, regions: dict[int, str]) -> str:
    if value in (None, ""):
        return "—"
    if name == "regions":
        return ", ".join(regions.get(pk, str(pk)) for pk in value) or _("the whole network")
    if name in MONEY_FIELDS:
        return _money(Decimal(value))
    if name == "metric":
        kpi = BY_CODE.get(value)
        return str(kpi.label) if kpi else _("Store scorecard") if value == SCORECARD else value
    if isinstance(value, bool):
        return _yes_no(value)
    try:
        field = Scheme._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed: its raw value
        return str(value)
    return str(dict(field.choices).get(value, value)) if field.choices else str(value)


def _label(name: str) -> str:
    if name == "regions":
        return _("Regions")
    try:
        return str(Scheme._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def event_changes(events: list[SchemeEvent]) -> dict[int, list[Change]]:
    """{event key: its changes, each field's label with before and after} of the
    «changed» events (one query for the regions they name)."""
    changed = [e for e in events if e.kind == SchemeEventKind.CHANGED]
    pks: set[int] = set()
    for event in changed:
        for side in event.payload.get("regions") or ():
            pks.update(side or ())
    regions = regions_named(pks)
    return {
        event.pk: [
            Change(
                _label(name), _readable(name, pair[0], regions), _readable(name, pair[1], regions)
            )
            for name, pair in event.payload.items()
        ]
        for event in changed
    }


# --- the simulation's ranking --------------------------------------------------------


def _value_kind(scheme: Scheme) -> Kind:
    return Kind.DECIMAL if scheme.metric == SCORECARD else metric_kpi(scheme).unit


def _label_of(choices, value: str) -> str:
    return str(choices(value).label) if value else ""


def _outcome(store: SimulatedStore) -> str:
    """The outcome, and for a store not eligible the first reason that applied."""
    result = store.result
    if result.ineligible:
        reason = _label_of(Ineligible, result.ineligible)
        return _("Not eligible: %(reason)s") % {"reason": reason[:1].lower() + reason[1:]}
    return _label_of(Outcome, result.outcome)


def simulation_table(scheme: Scheme, stores: list[SimulatedStore], *, testid: str) -> Table:
    """The stores of one simulated statement, ranked: value, plan, outcome (with why not
    eligible), people and amount (links to the store's lines below the table). On a
    phone: rank, store, value, outcome and amount (and the plan of a threshold)."""
    kind = _value_kind(scheme)
    threshold = scheme.mode == Mode.THRESHOLD
    columns = [
        Column("result.rank", gettext_lazy("Rank"), Kind.COUNT, narrow=True),
        Column(
            "store.code",
            gettext_lazy("Store"),
            value=lambda s: f"{s.store.code} {s.store.name}",
            link=lambda s: f"#lines-{s.store.pk}" if s.lines else "",
        ),
        Column("result.value", metric_label(scheme), kind),
        Column("result.target", gettext_lazy("Plan"), kind, narrow=threshold),
        Column("result.receipts", gettext_lazy("Receipts"), Kind.COUNT, narrow=False),
        Column("result.outcome", gettext_lazy("Outcome"), value=_outcome),
        Column("result.people", gettext_lazy("People"), Kind.COUNT, narrow=False),
        Column(
            "result.amount",
            gettext_lazy("Amount"),
            Kind.MONEY,
            signed=True,
            value=lambda s: s.result.amount or None,
        ),
    ]
    return Table(
        columns,
        stores,
        row_attrs=lambda s: {"data-store": s.store.code, "data-outcome": s.result.outcome},
        testid=testid,
    )


def scope_label(region) -> str:
    """What a simulated statement ranks: a region, or the network as one."""
    return region.name if region is not None else _("The whole network")
