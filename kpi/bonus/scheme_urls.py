"""The schemes' pages and HR's terms. Included by `kpi.bonus.urls` at /bonus/ itself (no
prefix, no namespace of its own: the names are `bonus:schemes`, `bonus:scheme_new`,
`bonus:scheme`, `bonus:scheme_edit`, `bonus:scheme_archive`, `bonus:scheme_simulate`,
`bonus:scheme_close`, `bonus:terms`); every pattern has rows in
tests/access/matrix_bonus_schemes.py."""

from django.urls import path

from kpi.bonus import scheme_views, terms_views

urlpatterns = [
    path("schemes/", scheme_views.scheme_list, name="schemes"),
    path("schemes/new/", scheme_views.scheme_new, name="scheme_new"),
    path("schemes/<int:pk>/", scheme_views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/edit/", scheme_views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/archive/", scheme_views.scheme_archive_view, name="scheme_archive"),
    path("schemes/<int:pk>/simulate/", scheme_views.scheme_simulate, name="scheme_simulate"),
    path("schemes/<int:pk>/close/", scheme_views.scheme_close, name="scheme_close"),
    path("terms/", terms_views.terms_page, name="terms"),
]
