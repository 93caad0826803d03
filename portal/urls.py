from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from portal.files.views import document_serve, media_serve
from portal.health import health
from portal.org import activation_views
from portal.org.forms import LoginForm
from portal.org.password_reset import ThrottledPasswordResetView
from portal.org.second_factor import views as second_factor_views

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("activate/", activation_views.activate, name="activate"),
    path(
        "second-factor/",
        second_factor_views.second_factor_verify,
        name="second_factor_verify",
    ),
    path(
        "second-factor/enrol/",
        second_factor_views.second_factor_enrol,
        name="second_factor_enrol",
    ),
    path(
        "second-factor/recovery-codes/",
        second_factor_views.second_factor_recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include("portal.home.urls")),
    path("accounts/", include(auth_patterns)),
    path("org/", include("portal.org.urls")),
    path("sop/", include("portal.sop.urls")),
    path("inbox/", include("portal.notify.urls")),
    path("training/", include("training.urls")),
    path("audits/", include("audits.urls")),
    path("incidents/", include("incidents.urls")),
    path("kpi/", include("kpi.urls")),
    path("bonus/", include("kpi.bonus.urls")),
    path("api/", include("kpi.api_urls")),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    # Documents and images are the chain's internal material: served only by our
    # permission-checked views (portal.files), never by a public alias of MEDIA_ROOT.
    re_path(r"^documents/(\d+)/(.*)$", document_serve, name="wagtaildocs_serve"),
    path("media/<path:path>", media_serve, name="private_media"),
    path("pages/", include(wagtail_urls)),
]
