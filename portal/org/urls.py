from django.urls import path

from portal.org import activation_views, views

app_name = "org"

urlpatterns = [
    path("stores/", views.store_list, name="store_list"),
    path("stores/export.csv", views.store_list_csv, name="store_list_csv"),
    path("stores/<str:code>/", views.store_detail, name="store_detail"),
    path("stores/<str:code>/people/", views.store_people, name="store_people"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("people/<str:personnel_number>/", views.person_detail, name="person_detail"),
    path(
        "people/<str:personnel_number>/activation/",
        activation_views.person_activation,
        name="person_activation",
    ),
    path("import/", views.org_import, name="import"),
    path("import/template/<str:kind>.csv", views.org_import_template, name="import_template"),
]
