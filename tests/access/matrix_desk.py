"""The complaint desk's rows of the access matrix."""

from __future__ import annotations

from tests.access.cases import Case

DESK: list[Case] = []
