"""Demo builders that domain apps contribute to `seed_demo`, so `portal` never imports them.

An app registers a callable in its `AppConfig.ready()`; `seed_demo` runs them in
registration order after the organisation and the SOP library, each in its own
transaction. Each builder is idempotent and returns a one-line summary.
"""

from __future__ import annotations

from collections.abc import Callable

_BUILDERS: list[tuple[str, Callable[[], str]]] = []


def register(name: str, builder: Callable[[], str]) -> None:
    if all(existing != name for existing, _builder in _BUILDERS):
        _BUILDERS.append((name, builder))


def builders() -> list[tuple[str, Callable[[], str]]]:
    return list(_BUILDERS)
