"""The navigation of the portal: what the apps registered (`portal.home.navigation`) and
this user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.home import navigation as registry


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    children: tuple[NavItem, ...] = ()


def _items(user, group: str) -> list[NavItem]:
    return [NavItem(e.label, e.url_for(user), e.icon) for e in registry.entries_for(user, group)]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = _items(user, registry.MAIN)
    tools = _items(user, registry.TOOLS)
    # One tool stands in the bar itself; several share the «Reports and tools» menu.
    if len(tools) == 1:
        items.extend(tools)
    elif tools:
        items.append(NavItem(_("Reports and tools"), "", "grid", tuple(tools)))
    current = request.path
    flat = [child for item in items for child in (item.children or (item,))]
    return {
        "nav_items": items,
        "nav_current": max(
            (i.url for i in flat if current.startswith(i.url) and i.url != "/"),
            key=len,
            default="/" if current == "/" else "",
        ),
    }
