"""Abuse flags' pages. Included by `kpi.bonus.urls` at /bonus/ itself (no prefix, no
namespace of its own, as the other areas): `bonus:flags` (/bonus/flags/, ?format=csv),
`bonus:flag` (/bonus/flags/<pk>/), `bonus:flag_decide` (POST); every pattern has rows
in tests/access/matrix_bonus_flags.py."""

from django.urls import path

from kpi.bonus import flag_views

urlpatterns = [
    path("flags/", flag_views.flag_list, name="flags"),
    path("flags/<int:pk>/", flag_views.flag_detail, name="flag"),
    path("flags/<int:pk>/decide/", flag_views.flag_decide, name="flag_decide"),
]
