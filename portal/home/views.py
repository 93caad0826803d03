from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.home import selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        selectors.dashboard_template(user=request.user),
        selectors.dashboard_context(user=request.user),
    )
