"""Organisation pages: stores, regions, people, and the CSV import. Thin by design."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.exports import csv_response
from portal.imports.errors import ImportRejected
from portal.org import selectors, services
from portal.org.activation import may_issue
from portal.org.forms import OrgImportForm
from portal.org.import_csv import PERSON_COLUMNS, STORE_COLUMNS
from portal.org.scoping import scope_for
from portal.pdf import pdf_response

PAGE_SIZE = 25


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


@login_required
def store_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    region_code = request.GET.get("region", "")
    stores = selectors.store_list(user=request.user, query=query, region_code=region_code)
    page = Paginator(stores, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/store_list.html",
        {
            "page": page,
            "query": query,
            "region_code": region_code,
            "regions": selectors.directory_regions(user=request.user),
            "show_staff": not scope_for(request.user).directory_only,
        },
    )


@login_required
def store_list_csv(request: HttpRequest) -> HttpResponse:
    stores = selectors.store_list(
        user=request.user, query=request.GET.get("q", ""), region_code=request.GET.get("region", "")
    )
    if scope_for(request.user).directory_only:
        return csv_response(
            "stores.csv",
            [_("Code"), _("Store"), _("Region"), _("City"), _("Address"), _("Active")],
            (
                [
                    s.code,
                    s.name,
                    s.region.name,
                    s.city,
                    s.address,
                    _("yes") if s.is_active else _("no"),
                ]
                for s in stores.iterator(chunk_size=500)
            ),
        )
    return csv_response(
        "stores.csv",
        [
            _("Code"),
            _("Store"),
            _("Region"),
            _("City"),
            _("Address"),
            _("Format"),
            _("Opened on"),
            _("LP launch date"),
            _("Active"),
            _("Staff"),
        ],
        (
            [
                s.code,
                s.name,
                s.region.name,
                s.city,
                s.address,
                s.get_format_display(),
                s.opened_on,
                s.lp_launch_date,
                _("yes") if s.is_active else _("no"),
                s.staff_count,
            ]
            for s in stores.iterator(chunk_size=500)
        ),
    )


@login_required
def store_detail(request: HttpRequest, code: str) -> HttpResponse:
    store = selectors.store_directory_get(user=request.user, code=code)
    directory_only = scope_for(request.user).directory_only
    return render(
        request,
        "org/store_detail.html",
        {
            "store": store,
            "can_open_people": request.user.has_perm("org.open_store_people", store),
            "staff_count": None if directory_only else store.people.filter(is_active=True).count(),
        },
    )


@login_required
def store_people(request: HttpRequest, code: str) -> HttpResponse:
    store = selectors.store_get_visible(user=request.user, code=code)
    _require(request.user, "org.open_store_people", store)
    people = selectors.store_people(store=store)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return csv_response(
            f"staff-{store.code}.csv",
            [
                _("Personnel number"),
                _("Full name"),
                _("Role"),
                _("E-mail"),
                _("Hire date"),
                _("Active"),
            ],
            (
                [
                    p.personnel_number,
                    p.full_name,
                    p.get_role_display(),
                    p.email,
                    p.hire_date,
                    _("yes") if p.is_active else _("no"),
                ]
                for p in people
            ),
        )
    if fmt == "pdf":
        return pdf_response(
            "pdf/org/store_people.html",
            {"store": store, "people": people, "printed_at": timezone.now()},
            f"staff-{store.code}.pdf",
        )
    return render(request, "org/store_people.html", {"store": store, "people": people})


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = selectors.region_get_visible(user=request.user, code=code)
    _require(request.user, "org.open_region", region)
    return render(
        request,
        "org/region_detail.html",
        {"region": region, "stores": selectors.region_store_summary(region=region)},
    )


@login_required
def person_detail(request: HttpRequest, personnel_number: str) -> HttpResponse:
    person = selectors.person_get_visible(user=request.user, personnel_number=personnel_number)
    _require(request.user, "org.open_person", person)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "events": selectors.person_events(person=person),
            "can_issue_code": may_issue(request.user, person),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request: HttpRequest) -> HttpResponse:
    _require(request.user, "org.import_org")
    form = OrgImportForm(request.POST or None, request.FILES or None)
    report, errors = None, None
    if request.method == "POST" and form.is_valid():
        run = (
            services.org_stores_import
            if form.cleaned_data["kind"] == "stores"
            else services.org_people_import
        )
        upload = form.cleaned_data["file"]
        try:
            report = run(actor=request.user, content=upload.read(), filename=upload.name)
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _("Import applied."))
    return render(request, "org/import.html", {"form": form, "report": report, "errors": errors})


@login_required
def org_import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _require(request.user, "org.import_org")
    if kind == "stores":
        header = list(STORE_COLUMNS)
        sample = [
            "MSK",
            "Москва",
            "M001",
            "Тверская",
            "Москва",
            "ул. Тверская, 1",
            "super",
            "2019-03-01",
            "2024-02-01",
            "1",
        ]
    elif kind == "people":
        header = list(PERSON_COLUMNS)
        sample = [
            "100001",
            "Иванова",
            "Анна",
            "Сергеевна",
            "a.ivanova@example.ru",
            "store_staff",
            "M001",
            "",
            "2024-05-13",
            "1",
        ]
    else:
        return redirect("org:import")
    return csv_response(f"{kind}-template.csv", header, [sample])
