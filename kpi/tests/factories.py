"""Receipts files for tests, in the format the POS and Excel produce."""

from __future__ import annotations

from datetime import date

HEADER = "магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email\n"


def receipts_file(
    store: str, day: date, *, receipts: int, identified: int, amount: str = "1000,00", tag=""
) -> bytes:
    """`receipts` receipts of `store` on `day`, the first `identified` with a card
    (each its own card), in cp1251 with `;` like Russian Excel."""
    lines = [HEADER]
    for n in range(receipts):
        card = f"C{store}{n}" if n < identified else ""
        phone = 1 if card else 0
        lines.append(
            f"{store};{tag}{day:%y%m%d}-{n};{day:%d.%m.%Y} 10:{n % 60:02d};{amount};2;{card};"
            f"100001;0;{phone};0\n"
        )
    return "".join(lines).encode("cp1251")
