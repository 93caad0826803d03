"""The «Акции» section: current, coming and past promotions."""

from __future__ import annotations

import datetime as dt


def promotions_by_period(*, index, today: dt.date) -> dict[str, list]:
    from incidents.models import PromotionPage

    pages = list(PromotionPage.objects.child_of(index).live().order_by("starts_on", "title"))
    return {
        "current": [page for page in pages if page.starts_on <= today <= page.ends_on],
        "coming": [page for page in pages if page.starts_on > today],
        "past": sorted(
            (page for page in pages if page.ends_on < today), key=lambda p: p.ends_on, reverse=True
        )[:12],
    }


def promotions_current(*, today: dt.date, limit: int = 10) -> list:
    from incidents.models import PromotionPage

    return list(
        PromotionPage.objects.live()
        .filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("ends_on", "title")[:limit]
    )
