from django.urls import path

from portal.home import views

app_name = "home"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("favicon.ico", views.favicon, name="favicon"),
]
