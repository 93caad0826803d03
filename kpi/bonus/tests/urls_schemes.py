"""The portal's URLs with the schemes' pages mounted in `bonus` as `kpi.bonus.urls`
will include them, so these tests run before and after that wiring alike. Pages of
other areas the schemes link to (`bonus:statement`, `bonus:scheme_effect`) are stood in
for when they are not there yet: stand-ins come first, so a real page of the same name
(later in the list) is the one `reverse` finds."""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from kpi.bonus import scheme_urls
from kpi.bonus import urls as bonus_urls
from portal import urls as portal_urls


def _stand_in(request, pk: int) -> HttpResponse:
    return HttpResponse(f"stand-in {pk}")


STAND_INS = [
    path("_stand-in/statements/<int:pk>/", _stand_in, name="statement"),
    path("_stand-in/schemes/<int:pk>/effect/", _stand_in, name="scheme_effect"),
]
BONUS = path(
    "bonus/",
    include(([*STAND_INS, *bonus_urls.urlpatterns, *scheme_urls.urlpatterns], "bonus")),
)

urlpatterns = [
    BONUS if isinstance(p, URLResolver) and p.namespace == "bonus" else p
    for p in portal_urls.urlpatterns
]
