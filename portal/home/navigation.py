"""Navigation entries that apps contribute, so `portal/home` names no app's URLs.

An app registers its entries in its `AppConfig.ready()`:

    navigation.register(
        key="kpi.leaderboard", label=_("Leaderboard"), url="kpi:leaderboard", icon="trophy",
        order=50, visible="kpi.view_leaderboard",
    )

- `url`: a URL name (reversed without arguments) or a callable taking the user (an entry
  that depends on who asks: "My store");
- `group`: `MAIN` (the bar) or `TOOLS` (the «Reports and tools» menu);
- `order`: position within the group, lowest first;
- `visible`: who sees it — a django-rules permission name (asked with `user.has_perm`), a
  rules predicate (`predicate.test(user)`), or `None` for everyone signed in. Role sets
  live in the apps' `rules.py`, never here.

`portal.home.context_processors.navigation` renders what is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.urls import reverse

MAIN = "main"
TOOLS = "tools"


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: Any  # a lazy translation
    url: str | Callable[[Any], str]
    icon: str
    group: str
    order: int
    visible: str | rules.Predicate | None

    def is_visible_to(self, user) -> bool:
        if self.visible is None:
            return True
        if isinstance(self.visible, str):
            return user.has_perm(self.visible)
        return self.visible.test(user)

    def url_for(self, user) -> str:
        return self.url(user) if callable(self.url) else reverse(self.url)


_ENTRIES: dict[str, NavEntry] = {}


def register(
    *,
    key: str,
    label: Any,
    url: str | Callable[[Any], str],
    icon: str,
    order: int,
    group: str = MAIN,
    visible: str | rules.Predicate | None = None,
) -> None:
    """Add (or, under the same key, replace) an entry; safe to call twice."""
    if group not in (MAIN, TOOLS):
        raise ValueError(f"Unknown navigation group {group!r}")
    _ENTRIES[key] = NavEntry(key, label, url, icon, group, order, visible)


def entries_for(user, group: str) -> list[NavEntry]:
    """The group's entries this user may see, in order."""
    entries = sorted(
        (e for e in _ENTRIES.values() if e.group == group), key=lambda e: (e.order, e.key)
    )
    return [e for e in entries if e.is_visible_to(user)]
