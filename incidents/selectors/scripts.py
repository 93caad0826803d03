"""The scripts the agent's intake shows as soon as a category is picked."""

from __future__ import annotations

from incidents.choices import SCRIPT_CATEGORY, Category


def intake_scripts() -> dict[str, dict[str, str]]:
    """Per ticket category: the live script's title, «the customer says» and its URL (one
    query for every category)."""
    from portal.sop.models import ScriptPage

    live = {}
    for page in ScriptPage.objects.live().order_by("last_published_at"):
        live[page.category] = page  # the newest wins
    scripts = {}
    for category in Category.values:
        page = live.get(SCRIPT_CATEGORY[category])
        if page is not None:
            scripts[category] = {"title": page.title, "trigger": page.trigger, "url": page.url}
    return scripts
