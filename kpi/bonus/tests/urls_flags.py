"""The portal's URLs with the abuse flags' pages mounted in `bonus` as `kpi.bonus.urls`
includes them, so these tests run before and after that wiring alike (a pattern already
included is simply there twice: `reverse` finds the same path)."""

from django.urls import URLResolver, include, path

from kpi.bonus import flag_urls
from kpi.bonus import urls as bonus_urls
from portal import urls as portal_urls

BONUS = path("bonus/", include(([*bonus_urls.urlpatterns, *flag_urls.urlpatterns], "bonus")))

urlpatterns = [
    BONUS if isinstance(p, URLResolver) and p.namespace == "bonus" else p
    for p in portal_urls.urlpatterns
]
