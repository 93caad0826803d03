"""The SOP library on the portal: read, confirm, print, search, and follow compliance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.org import selectors as org_selectors
from portal.org.scoping import ScopeLevel, scope_for
from portal.pdf import pdf_response
from portal.sop import exports, selectors, services
from portal.sop.compliance import (
    ComplianceFigures,
    compliance_figures,
    compliance_figures_for_stores,
    compliance_for_stores,
)
from portal.sop.forms import AcknowledgeForm
from portal.sop.models import ReadablePage

STORES_PER_PAGE = 50


def _readable_page(user, page_id: int) -> ReadablePage:
    """The live page, if this person may read it; 404 otherwise (never reveal it exists)."""
    page = get_object_or_404(ReadablePage.objects.live(), pk=page_id).specific
    if not selectors.page_readable_by(page=page, user=user):
        raise Http404
    return page


@login_required
def library(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sop/library.html",
        selectors.library_context(user=request.user, params=request.GET),
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = selectors.search_readable(user=request.user, query=query)
    return render(request, "sop/search.html", {"query": query, "results": results})


@login_required
@require_POST
def acknowledge(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _readable_page(request.user, page_id)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick «I have read and understood» to confirm."))
        return redirect(page.url)
    try:
        services.acknowledgement_record(
            person=request.user, page=page, revision_id=form.cleaned_data["revision"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(page.url)
    messages.success(request, _("Confirmed: «%(title)s».") % {"title": page.title})
    return redirect(page.url)


@login_required
def print_pdf(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _readable_page(request.user, page_id)
    context = {
        "page": page,
        "version": selectors.page_versions(page=page).first(),
        "printed_at": timezone.now(),
        "printed_by": request.user,
    }
    return pdf_response(f"pdf/sop/{page._meta.model_name}.html", context, f"{page.slug}.pdf")


@login_required
def responsibilities(request: HttpRequest) -> HttpResponse:
    rows = selectors.responsibilities_visible_to(user=request.user)
    return render(
        request,
        "sop/responsibilities.html",
        {"rows": rows, "mine": selectors.responsibles_for_user(user=request.user)},
    )


def _stores_page(request: HttpRequest, book: ComplianceFigures) -> Page:
    """One page of the store table, furthest behind first (the CSV lists every store)."""
    return Paginator(book.stores_behind_first(), STORES_PER_PAGE).get_page(request.GET.get("page"))


@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """The network view for HQ; everyone else is sent to the level their scope follows."""
    user = request.user
    match scope_for(user).level:
        case ScopeLevel.NETWORK if user.has_perm("sop.open_network_compliance"):
            pass
        case ScopeLevel.REGION if user.has_perm("sop.open_region_compliance", user.region):
            return redirect("sop:compliance_region", code=user.region.code)
        case ScopeLevel.STORE if user.has_perm("sop.open_store_compliance", user.store):
            return redirect("sop:compliance_store", code=user.store.code)
        case _:
            raise PermissionDenied
    book = compliance_figures(stores=org_selectors.stores_of(), storeless=org_selectors.people_of())
    if request.GET.get("format") == "csv":
        return exports.stores_csv(book, "compliance-network.csv")
    return render(
        request,
        "sop/compliance_network.html",
        {"book": book, "page": _stores_page(request, book)},
    )


@login_required
def compliance_region(request: HttpRequest, code: str) -> HttpResponse:
    region = org_selectors.region_get_visible(user=request.user, code=code)
    if not request.user.has_perm("sop.open_region_compliance", region):
        raise PermissionDenied
    book = compliance_figures_for_stores(stores=org_selectors.stores_of(region=region))
    if request.GET.get("format") == "csv":
        return exports.stores_csv(book, f"compliance-{region.code}.csv")
    return render(
        request,
        "sop/compliance_region.html",
        {"region": region, "book": book, "page": _stores_page(request, book)},
    )


@login_required
def compliance_store(request: HttpRequest, code: str) -> HttpResponse:
    store = org_selectors.store_get_visible(user=request.user, code=code)
    if not request.user.has_perm("sop.open_store_compliance", store):
        raise PermissionDenied
    book = compliance_for_stores(stores=org_selectors.stores_of(store=store))
    if request.GET.get("format") == "csv":
        return exports.people_csv(book, f"compliance-{store.code}.csv")
    return render(request, "sop/compliance_store.html", {"store": store, "book": book})
