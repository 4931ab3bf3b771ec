from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("duikou.reports.urls")),
    path("", include("duikou.projects.urls")),
    path("", include("duikou.ui.urls")),
    path("", include("duikou.disclosure.urls")),
    path("performance/", include("duikou.performance.urls")),
    path("imports/", include("duikou.imports.urls")),
]
