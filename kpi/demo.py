"""The demo chain's receipts and plans: a year of simulated POS files, loaded through
`receipts_import` month by month like any bulk file, and the year's KPI plans."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from kpi.choices import BatchSource, KpiCode
from kpi.models import ImportBatch, Plan
from kpi.services import receipts_import
from kpi.simulator import PosSimulator, cashiers_by_store, months, store_profiles
from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS, DEMO_REGION_CODE, SEED
from portal.org.models import Region, Store, User
from portal.org.selectors import stores_visible_to

# Scaled down so `seed_demo` stays quick on SQLite: about 15 receipts a store a day (a real
# supermarket has some 1,500), with store sizes drawn closer together than in a real chain
# so that nearly every store clears the leaderboard's minimum volume every month.
DEMO_SCALE = 0.01
DEMO_SIZE_SPREAD = 0.2
FILE_PREFIX = "seed_demo:receipts-"
PENDING_FILE = "ручная-выгрузка-кассы.csv"  # the regional manager's upload awaiting approval
PENETRATION_FROM, PENETRATION_TO = Decimal("50"), Decimal("60")
REGION_PENETRATION = {"MSK": Decimal("60"), "URL": Decimal("52")}
AVERAGE_RECEIPT = Decimal("1500")


def kpi_demo_seed() -> str:
    """A year of receipts ending yesterday for every demo store, and plans for it.

    The demo volume is scaled down (`DEMO_SCALE`), not the chain's real volume. Files
    already loaded (by name) are skipped; loading one again would change nothing anyway
    (the simulator is deterministic and the import idempotent). Store days are refreshed
    after commit, as after any import."""
    end = timezone.localdate() - timedelta(days=1)
    start = end - timedelta(days=364)
    stores = list(Store.objects.order_by("code"))
    simulator = PosSimulator(
        store_profiles(stores, seed=SEED, cashiers=cashiers_by_store(s.code for s in stores)),
        seed=SEED,
        scale=DEMO_SCALE,
        size_spread=DEMO_SIZE_SPREAD,
    )
    loaded = set(
        ImportBatch.objects.filter(filename__startswith=FILE_PREFIX).values_list(
            "filename", flat=True
        )
    )
    rows = batches = 0
    store_days: set[tuple[int, str]] = set()
    for first, last in months(start, end):
        filename = f"{FILE_PREFIX}{first}-{last}.csv"
        if filename in loaded or not stores:
            continue
        batch = receipts_import(
            actor=None,
            content=simulator.csv_bytes(first, last),
            filename=filename,
            source=BatchSource.COMMAND,
        )
        rows += batch.inserted
        batches += 1
        store_days.update((store, day) for store, day in batch.store_days)
    if batches:
        _planner_ready()
    plans = _plans_ensure(start, end)
    pending = _pending_upload_ensure(end)
    return (
        f"receipts={rows} store_days={len(store_days)} batches={batches} plans={plans} "
        f"pending={pending} "
        f"(scaled down: ×{DEMO_SCALE} of a real chain's volume)"
    )


def _pending_upload_ensure(day: date) -> int:
    """The demo regional manager's manual upload of a store's extra receipts for `day`,
    held for an LP manager's approval like any upload from outside HQ (made through
    `receipts_import`); once. Returns the receipts waiting."""
    email = next(login.email for login in DEMO_LOGINS if login.role == Role.REGIONAL_MANAGER)
    manager = User.objects.filter(email=email, region__code=DEMO_REGION_CODE).first()
    store = Store.objects.filter(region__code=DEMO_REGION_CODE).order_by("code").last()
    if manager is None or store is None:
        return 0
    batch = ImportBatch.objects.filter(filename=PENDING_FILE, created_by=manager).first()
    if batch is None:
        lines = ["магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email"]
        lines += [
            f"{store.code};РУЧН-{day:%y%m%d}-{n};{day:%d.%m.%Y} 20:{n:02d};"
            f"{900 + 37 * n},00;{1 + n % 4};20009{n:08d};;0;1;0"
            for n in range(1, 31)
        ]
        batch = receipts_import(
            actor=manager,
            content=("\r\n".join(lines) + "\r\n").encode("cp1251"),
            filename=PENDING_FILE,
            source=BatchSource.UPLOAD,
            stores=stores_visible_to(user=manager),
        )
    return batch.pending_receipts.count()


def _planner_ready() -> None:
    """Statistics for the planner before the store days are refreshed (after commit):
    without them SQLite reads a day through the (store, receipt) index, i.e. every
    receipt of the stores (76 ms a day instead of 6 ms at 250,000 receipts)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE kpi_receipt")


def _plans_ensure(start: date, end: date) -> int:
    """A network penetration plan per month (50% rising to 60%), higher and lower ones
    for two regions in the last quarter, and an average-receipt plan for the year.
    Returns the number of plans created."""
    periods = list(months(start.replace(day=1), end))
    wanted: list[tuple[str, Region | None, date, date, Decimal]] = []
    for n, (first, _last) in enumerate(periods):
        step = (PENETRATION_TO - PENETRATION_FROM) * n / max(1, len(periods) - 1)
        month_end = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        wanted.append(
            (KpiCode.PENETRATION, None, first, month_end, (PENETRATION_FROM + step).quantize(1))
        )
    quarter_start, quarter_end = periods[-3][0], wanted[-1][3]
    for region in Region.objects.filter(code__in=REGION_PENETRATION):
        wanted.append(
            (
                KpiCode.PENETRATION,
                region,
                quarter_start,
                quarter_end,
                REGION_PENETRATION[region.code],
            )
        )
    wanted.append((KpiCode.AVERAGE_RECEIPT, None, periods[0][0], quarter_end, AVERAGE_RECEIPT))
    created = 0
    for kpi, region, starts_on, ends_on, target in wanted:
        _plan, made = Plan.objects.get_or_create(
            kpi=kpi,
            store=None,
            region=region,
            starts_on=starts_on,
            ends_on=ends_on,
            defaults={"target": target},
        )
        created += made
    return created
