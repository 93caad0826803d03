"""The store scorecard, its weights and the schemes' effect reports. Included by
`kpi.bonus.urls` at /bonus/ itself (no prefix, no namespace of its own: the names are
`bonus:scorecard`, `bonus:scorecard_weights`, `bonus:scheme_effect`); every pattern has
rows in tests/access/matrix_bonus_scorecard.py."""

from django.urls import path

from kpi.bonus import scorecard_views

urlpatterns = [
    path("scorecard/", scorecard_views.scorecard, name="scorecard"),
    path("scorecard/weights/", scorecard_views.scorecard_weights_page, name="scorecard_weights"),
    path("schemes/<int:pk>/effect/", scorecard_views.scheme_effect_page, name="scheme_effect"),
]
