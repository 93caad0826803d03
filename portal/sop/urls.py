from django.urls import path

from portal.sop import views

app_name = "sop"

urlpatterns = [
    path("", views.library, name="library"),
    path("search/", views.search, name="search"),
    path("responsibilities/", views.responsibilities, name="responsibilities"),
    path("pages/<int:page_id>/confirm/", views.acknowledge, name="acknowledge"),
    path("pages/<int:page_id>/print.pdf", views.print_pdf, name="print"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/regions/<str:code>/", views.compliance_region, name="compliance_region"),
    path("compliance/stores/<str:code>/", views.compliance_store, name="compliance_store"),
]
