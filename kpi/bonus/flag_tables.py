"""The abuse flags described once for the list page and its CSV, and for the evidence
table of a flag: what each kind of flag measures, in which unit, and the card shown by
its last four characters only."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from kpi.bonus.choices import FlagKind, FlagStatus
from kpi.bonus.models import AbuseFlag
from portal.numbers import Kind, format_number, raw_number
from portal.tables import Column, Icon, Table

# What a flag's measure (and threshold) is, kind by kind.
MEASURES: dict[str, tuple[Kind, object]] = {
    FlagKind.CARD_DAILY: (Kind.COUNT, _("the card's receipts on its busiest day")),
    FlagKind.CARD_STORES: (Kind.COUNT, _("stores the card was used in")),
    FlagKind.CARD_CONCENTRATION: (Kind.PERCENT, _("share of identified receipts on the top cards")),
    FlagKind.CASHIER_SHARE: (Kind.PERCENT, _("the cashier's share of identified receipts")),
    FlagKind.STORE_JUMP: (Kind.PERCENT, _("the store's share of identified receipts")),
    FlagKind.ENROLMENT_PHONES: (Kind.COUNT, _("enrolments of repeated or invalid numbers")),
}
STATUS_BADGES = {
    FlagStatus.OPEN: "text-bg-danger",
    FlagStatus.CLEARED: "text-bg-success",
    FlagStatus.CONFIRMED: "text-bg-dark",
}


def measure_kind(flag: AbuseFlag) -> Kind:
    return MEASURES.get(flag.kind, (Kind.DECIMAL, ""))[0]


def measure_label(flag: AbuseFlag) -> str:
    return str(MEASURES.get(flag.kind, (Kind.DECIMAL, ""))[1])


def card_masked(card: str) -> str:
    """A loyalty card as pages show it: its last four characters."""
    return f"…{card[-4:]}" if card else ""


def period_label(flag: AbuseFlag) -> str:
    return (
        f"{formats.date_format(flag.starts_on, 'd.m.Y')} – "
        f"{formats.date_format(flag.ends_on, 'd.m.Y')}"
    )


@dataclass(frozen=True)
class MeasureColumn(Column):
    """A number whose unit is the row's flag kind's (`MEASURES`)."""

    def text(self, row) -> str:
        return format_number(self.of(row), measure_kind(row))

    def raw(self, row) -> str:
        return raw_number(self.of(row), measure_kind(row))


def _open(flag: AbuseFlag) -> Icon | None:
    if flag.status != FlagStatus.OPEN:
        return None
    return Icon("bi-pause-circle-fill", "text-danger", _("Holds awards until decided"))


FLAG_COLUMNS = [
    Column(
        "kind",
        _("Pattern"),
        value=lambda f: f.get_kind_display(),
        link=lambda f: reverse("bonus:flag", args=[f.pk]),
        link_testid="flag-link",
    ),
    Column("store.code", _("Store")),
    Column("store.name", _("Store name"), narrow=False),
    Column("store.region.name", _("Region"), narrow=False),
    Column("cashier", _("Cashier")),
    Column("card_id", _("Card"), value=lambda f: card_masked(f.card_id)),
    Column("starts_on", _("Period"), value=period_label, narrow=False),
    MeasureColumn("measure", _("Measured")),
    MeasureColumn("threshold", _("Threshold")),
    Column("unit", _("What is measured"), value=measure_label, narrow=False),
    Column("receipts", _("Receipts concerned"), Kind.COUNT, narrow=False),
    Column("status", _("Status"), value=lambda f: f.get_status_display(), icon=_open),
]


def flags_table(flags) -> Table:
    return Table(
        FLAG_COLUMNS,
        flags,
        row_attrs=lambda f: {"data-testid": "flag-row", "data-flag": str(f.pk)},
        testid="flags",
    )


EVIDENCE_COLUMNS = [
    Column("store", _("Store")),
    Column("receipt", _("Receipt")),
    Column("at", _("Time"), value=lambda r: r["at"][:16].replace("T", " ")),
    Column("amount", _("Amount"), Kind.MONEY),
    Column("card", _("Card"), value=lambda r: card_masked(r["card"])),
    Column("cashier", _("Cashier")),
]


def evidence_table(flag: AbuseFlag) -> Table:
    return Table(EVIDENCE_COLUMNS, flag.evidence, testid="evidence")
