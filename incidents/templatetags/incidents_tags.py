"""Template helpers of the desk: business minutes as hours and minutes."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def business_time(minutes: int) -> str:
    """140 → «2 h 20 min» (Russian: «2 ч 20 мин»); the sign is dropped."""
    minutes = abs(int(minutes or 0))
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": rest}
