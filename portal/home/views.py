from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from portal.home import selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        selectors.dashboard_template(user=request.user),
        selectors.dashboard_context(user=request.user),
    )


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers, PDF viewers and bookmarks ask for /favicon.ico whatever the page links."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
