"""Dashboard panels that domain apps contribute, so `portal` never imports them.

An app registers in its `AppConfig.ready()`:

    panels.register(template="training/_panel_exam.html", roles={Role.STORE_STAFF},
                    context=lambda user: {...})

and the role's dashboard renders each panel with `panel.context` as `ctx`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    roles: frozenset[str]
    context: Callable[[Any], dict]


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict


_PANELS: list[Panel] = []


def register(*, template: str, roles: Iterable[str], context: Callable[[Any], dict]) -> None:
    if any(p.template == template for p in _PANELS):
        return
    _PANELS.append(Panel(template, frozenset(roles), context))


def panels_for(user) -> list[RenderedPanel]:
    return [
        RenderedPanel(p.template, p.context(user))
        for p in _PANELS
        if user.role in p.roles or (user.is_superuser and "admin" in p.roles)
    ]
