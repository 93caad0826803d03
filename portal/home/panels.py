"""Dashboard panels that domain apps contribute, so `portal` never imports them.

An app registers in its `AppConfig.ready()`:

    panels.register(template="training/_panel_coverage.html", visible=follows_stores,
                    context=lambda user: {...})

`visible` says who gets the panel, as in `portal.home.navigation`: a django-rules
permission name, a predicate from the app's `rules.py`, or `None` for everyone. The
dashboard renders each panel the user may see with `panel.context` as `ctx`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules


@dataclass(frozen=True)
class Panel:
    template: str
    visible: str | rules.Predicate | None
    context: Callable[[Any], dict]

    def is_visible_to(self, user) -> bool:
        if self.visible is None:
            return True
        if isinstance(self.visible, str):
            return user.has_perm(self.visible)
        return self.visible.test(user)


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict


_PANELS: list[Panel] = []


def register(
    *,
    template: str,
    context: Callable[[Any], dict],
    visible: str | rules.Predicate | None = None,
) -> None:
    if any(p.template == template for p in _PANELS):
        return
    _PANELS.append(Panel(template, visible, context))


def panels_for(user) -> list[RenderedPanel]:
    return [RenderedPanel(p.template, p.context(user)) for p in _PANELS if p.is_visible_to(user)]
