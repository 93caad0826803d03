"""A POS simulator: receipts files in the format the upload accepts, for demos and loads.

Two generators:

- `PosSimulator` writes receipts with the structure of a real chain: weekly seasonality
  (Friday and Saturday peaks, Sunday and Monday lows), yearly seasonality (December peak,
  summer dip), store size by format and a per-store factor, opening hours 8–22 with a
  daytime curve, log-normal amounts around 1,200 ₽, LP identification per store (35–75%,
  slowly drifting, ramping up after the LP launch, none before it), cards from a pool of
  returning customers, new-member enrolments with contact capture, the store's own
  cashiers, and a few stores whose penetration rises after a motivation scheme starts.
  Every store day has its own random stream (seed, store, day), so a month written as one
  file or as daily files holds the same receipts, and the same seed gives the same bytes.
- `receipts_bulk_write` writes millions of plain receipts fast (one random draw per row,
  tables looked up, no Decimal or datetime per row) for benchmarks.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

HEADER = "магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email\n"
MOTIVATION_START = date(2026, 6, 1)

# Receipts a day of an average store of each format at scale 1.0, its tills, and its
# basket relative to the network's.
RECEIPTS_PER_DAY = {"hyper": 4000, "super": 1500, "convenience": 700, "outlet": 450}
TILLS = {"hyper": 14, "super": 6, "convenience": 3, "outlet": 2}
BASKET = {"hyper": 1.45, "super": 1.0, "convenience": 0.6, "outlet": 0.85}
WEEKDAY = (0.86, 0.94, 0.97, 1.0, 1.16, 1.24, 0.85)  # Monday … Sunday
MONTH = (0.9, 0.91, 0.97, 0.98, 0.98, 0.91, 0.86, 0.88, 0.98, 1.0, 1.05, 1.3)
# Share of a day's receipts in each opening hour, 8:00 … 21:00 (the store closes at 22).
HOURS = tuple(range(8, 22))
HOUR_WEIGHTS = (3, 5, 7, 8, 9, 9, 8, 8, 9, 11, 13, 12, 8, 5)
MEDIAN_AMOUNT = 1200.0
AMOUNT_SIGMA = 0.65
LP_BASKET = 1.15  # identified customers buy a little more
NEW_MEMBER_SHARE = 0.02
PHONE_SHARE = 0.85  # of new members
EMAIL_SHARE = 0.40  # of new members
LAUNCH_RAMP_DAYS = 60  # identification grows to its level over the first weeks of the LP
MOTIVATION_RAMP_DAYS = 14
IMPROVING_SHARE = 0.1


class StoreLike(Protocol):
    code: str
    format: str
    opened_on: date
    lp_launch_date: date | None


@dataclass(frozen=True)
class StoreProfile:
    """What the simulator knows of one store; drawn once from (seed, store code)."""

    code: str
    format: str
    opened_on: date
    lp_launch_date: date | None
    size: float  # the store's receipts relative to its format's average
    penetration: float  # share of identified receipts, before drift
    drift: float  # amplitude of the slow swing of that share
    drift_days: int  # its period
    drift_phase: float
    uplift: float  # added to the share after the motivation start (0 for most stores)
    pool: int  # returning customers with a card
    card_prefix: str
    cashiers: tuple[str, ...]


def _stream(*parts: object) -> random.Random:
    """A random stream of its own for each (seed, store, …): independent of what else is
    generated in the same run (string seeds are hashed with SHA-512, stable across runs)."""
    return random.Random(":".join(str(p) for p in parts))


def store_profiles(
    stores: Iterable[StoreLike],
    *,
    seed: int = 7,
    cashiers: Mapping[str, Sequence[str]] | None = None,
    improving: Iterable[str] | None = None,
) -> list[StoreProfile]:
    """Profiles of `stores`. `cashiers`: store code → personnel numbers of its staff (else
    synthetic ones). `improving`: codes of the stores that respond to the motivation scheme
    (else about one store in ten, drawn from the seed)."""
    cashiers = cashiers or {}
    chosen = set(improving) if improving is not None else None
    profiles = []
    for store in stores:
        rng = _stream(seed, store.code, "profile")
        fmt = store.format if store.format in RECEIPTS_PER_DAY else "super"
        size = min(2.0, max(0.5, rng.lognormvariate(0, 0.3)))
        penetration = rng.uniform(0.38, 0.70)
        improves = (store.code in chosen) if chosen is not None else rng.random() < IMPROVING_SHARE
        number = zlib.crc32(store.code.encode()) % 10000
        staff = tuple(sorted(cashiers.get(store.code, ())))
        if not staff:
            staff = tuple(f"9{number:04d}{n:02d}" for n in range(1, TILLS[fmt] * 2 + 3))
        profiles.append(
            StoreProfile(
                code=store.code,
                format=fmt,
                opened_on=store.opened_on,
                lp_launch_date=store.lp_launch_date,
                size=size,
                penetration=penetration,
                drift=rng.uniform(0.01, 0.05),
                drift_days=rng.randrange(120, 300),
                drift_phase=rng.uniform(0, 2 * math.pi),
                uplift=rng.uniform(0.10, 0.15) if improves else 0.0,
                # A customer comes back every three weeks or so.
                pool=max(50, int(RECEIPTS_PER_DAY[fmt] * size * penetration * 21)),
                card_prefix=f"77{number:04d}",
                cashiers=staff,
            )
        )
    return profiles


def cashiers_by_store(store_codes: Iterable[str]) -> dict[str, list[str]]:
    """Personnel numbers of the sales staff of these stores (one query)."""
    from portal.org.choices import Role
    from portal.org.models import User

    staff: dict[str, list[str]] = {}
    rows = User.objects.filter(
        store__code__in=list(store_codes), role=Role.STORE_STAFF, is_active=True
    ).values_list("store__code", "personnel_number")
    for code, number in rows:
        staff.setdefault(code, []).append(number)
    return staff


@dataclass
class PosSimulator:
    """Receipts of `profiles` day by day. `scale` multiplies every store's volume (the
    pool of returning customers scales with it, so shares and repeat rates stay)."""

    profiles: list[StoreProfile]
    seed: int = 7
    scale: float = 1.0
    motivation_start: date = MOTIVATION_START
    decimal_comma: bool = True
    size_spread: float = 1.0  # below 1 narrows the gap between small and large stores
    _hour_cum: list[float] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        total, self._hour_cum = 0.0, []
        for weight in HOUR_WEIGHTS:
            total += weight
            self._hour_cum.append(total)

    def expected_receipts(self, profile: StoreProfile, day: date) -> float:
        if day < profile.opened_on:
            return 0.0
        relative = RECEIPTS_PER_DAY[profile.format] / RECEIPTS_PER_DAY["super"] * profile.size
        base = RECEIPTS_PER_DAY["super"] * relative**self.size_spread * self.scale
        festive = 0.6 if (day.month, day.day) == (1, 1) else 1.0
        return base * WEEKDAY[day.weekday()] * MONTH[day.month - 1] * festive

    def penetration(self, profile: StoreProfile, day: date) -> float:
        """The chance that a receipt of this store on this day is identified."""
        launch = profile.lp_launch_date
        if launch is None or day < launch:
            return 0.0
        since = (day - launch).days
        swing = profile.drift * math.sin(
            2 * math.pi * day.toordinal() / profile.drift_days + profile.drift_phase
        )
        share = profile.penetration + swing
        if since < LAUNCH_RAMP_DAYS:
            share *= 0.4 + 0.6 * since / LAUNCH_RAMP_DAYS
        if profile.uplift and day >= self.motivation_start:
            ramp = min(1.0, ((day - self.motivation_start).days + 1) / MOTIVATION_RAMP_DAYS)
            share += profile.uplift * ramp
        return min(0.95, max(0.0, share))

    def day_lines(self, profile: StoreProfile, day: date) -> list[str]:
        """The receipts of one store on one day as CSV lines, in time order."""
        rng = _stream(self.seed, profile.code, day.isoformat())
        expected = self.expected_receipts(profile, day)
        if expected <= 0:
            return []
        count = max(0, round(expected * (1 + 0.07 * rng.gauss(0, 1))))
        share = self.penetration(profile, day)
        pool = max(20, int(profile.pool * self.scale))
        tills = TILLS[profile.format]
        cashiers, staff = profile.cashiers, len(profile.cashiers)
        shift = day.toordinal()
        mu = math.log(MEDIAN_AMOUNT * BASKET[profile.format])
        point = "," if self.decimal_comma else "."
        stamp, prefix = f"{day:%y%m%d}", f"{day:%Y-%m-%d} "
        seconds = sorted(
            hour * 3600 + int(rng.random() * 3600)
            for hour in rng.choices(HOURS, cum_weights=self._hour_cum, k=count)
        )
        numbers = [0] * tills
        lines = []
        for second in seconds:
            till = rng.randrange(tills)
            numbers[till] += 1
            hour, rest = divmod(second, 3600)
            cashier = cashiers[(till * 2 + (hour >= 15) + shift) % staff]
            card, new, phone, email = "", 0, 0, 0
            basket = 1.0
            if rng.random() < share:
                basket = LP_BASKET
                if rng.random() < NEW_MEMBER_SHARE / max(share, 0.05):
                    new = 1
                    card = f"{profile.card_prefix}{stamp}{till:02d}{numbers[till]:04d}"
                    phone = int(rng.random() < PHONE_SHARE)
                    email = int(rng.random() < EMAIL_SHARE)
                else:
                    # Frequent customers come more often: the pool is drawn with a skew.
                    card = f"{profile.card_prefix}{int(pool * rng.random() ** 2):07d}"
            kopecks = max(1000, int(rng.lognormvariate(mu, AMOUNT_SIGMA) * basket * 100))
            items = min(25, max(1, int(kopecks / (9000 + 18000 * rng.random())) + 1))
            lines.append(
                f"{profile.code};{stamp}-{till + 1}-{numbers[till]};{prefix}"
                f"{hour:02d}:{rest // 60:02d}:{rest % 60:02d};{kopecks // 100}{point}"
                f"{kopecks % 100:02d};{items};{card};{cashier};{new};{phone};{email}\n"
            )
        return lines

    def lines(self, start: date, end: date) -> Iterator[str]:
        """Every receipt of [start, end], day by day, store by store (no header)."""
        day = start
        while day <= end:
            for profile in self.profiles:
                yield from self.day_lines(profile, day)
            day += timedelta(days=1)

    def csv_bytes(self, start: date, end: date, *, encoding: str = "cp1251") -> bytes:
        """A receipts file of [start, end] as Russian Excel (cp1251) or UTF-8 saves it."""
        return (HEADER + "".join(self.lines(start, end))).encode(encoding)


def months(start: date, end: date) -> Iterator[tuple[date, date]]:
    """[start, end] cut at month boundaries."""
    first = start
    while first <= end:
        following = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(end, following - timedelta(days=1))
        yield first, last
        first = following


# ----- the fast generator for benchmarks -----

_TABLE = 1024


def _tables(seed: int) -> tuple[list[str], list[str], list[str]]:
    """Times of day following the daytime curve (sorted), amounts (log-normal) and item
    counts (following the amount): `_TABLE` of each, formatted once."""
    rng = _stream(seed, "bulk")
    hours = rng.choices(HOURS, weights=HOUR_WEIGHTS, k=_TABLE)
    seconds = sorted(h * 3600 + rng.randrange(3600) for h in hours)
    times = [f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" for s in seconds]
    amounts, items = [], []
    for _n in range(_TABLE):
        kopecks = max(1000, int(rng.lognormvariate(math.log(MEDIAN_AMOUNT), AMOUNT_SIGMA) * 100))
        amounts.append(f"{kopecks // 100}.{kopecks % 100:02d}")
        items.append(str(min(25, max(1, kopecks // (9000 + rng.randrange(18000)) + 1))))
    return times, amounts, items


def receipts_bulk_write(
    out: BinaryIO,
    *,
    stores: Sequence[str],
    day: date,
    count: int,
    seed: int = 7,
    header: bool = True,
    time_suffix: str = "",
    tail: str = "",
    tag: str = "",
) -> int:
    """Write `count` receipts of `day`, spread evenly over `stores` (codes, or ids for a
    direct COPY) in time order, in the upload's format (amounts with a decimal point,
    cp1251). One 64-bit draw per row makes every random field; about 55% identified, 2%
    new members. `time_suffix` (e.g. "+03") and `tail` (e.g. ";<batch id>") adapt the
    rows for a COPY straight into the receipts table; `tag` prefixes receipt ids.
    Returns the number of rows written."""
    times, amounts, items = _tables(seed)
    rng = _stream(seed, "bulk", day.isoformat(), tag)
    stamp, prefix = f"{tag}{day:%y%m%d}", f"{day:%Y-%m-%d} "
    per_store = [0] * len(stores)
    width = len(stores)
    if header:
        out.write(HEADER.encode("cp1251"))
    chunk: list[str] = []
    for n in range(count):
        bits = rng.getrandbits(64)
        store = n % width
        per_store[store] += 1
        pick = bits & 1023
        roll = (bits >> 10) & 1023  # identification and enrolment
        card, new, phone, email = "", 0, 0, 0
        if roll < 563:
            card = f"77{store:04d}{(bits >> 20) & 0x3FFF:05d}"
            if roll < 20:
                new, phone, email = 1, int((bits >> 34) & 7 != 0), (bits >> 37) & 1
        chunk.append(
            f"{stores[store]};{stamp}-{(bits >> 38) & 7}-{per_store[store]};{prefix}"
            f"{times[n * _TABLE // count]}{time_suffix};{amounts[pick]};{items[pick]};{card};"
            f"{9000000 + store * 8 + ((bits >> 41) & 7)};{new};{phone};{email}{tail}\n"
        )
        if len(chunk) == 100_000:
            out.write("".join(chunk).encode("cp1251"))
            chunk.clear()
    out.write("".join(chunk).encode("cp1251"))
    return count


def receipts_bulk_file(path: Path, days: Sequence[date], per_day: int, **kwargs) -> int:
    """A file of `per_day` receipts on each of `days` (see `receipts_bulk_write`)."""
    with path.open("wb") as out:
        return sum(
            receipts_bulk_write(out, day=day, count=per_day, header=n == 0, **kwargs)
            for n, day in enumerate(days)
        )
