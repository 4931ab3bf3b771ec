"""URLs of the web application: sign-in and every declared register (namespace ``ui``).
The home page, dashboards and overview are in ``duikou.reports.urls``."""

from django.urls import path

from . import views
from .registers import all_registers

app_name = "ui"


def _register_patterns():
    patterns = []
    for reg in all_registers():
        patterns += views.register_views(reg)
    return patterns


urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    *_register_patterns(),
]
