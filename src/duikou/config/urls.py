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
    path("figures/", include("duikou.figures.urls")),
    path("reports/", include("duikou.documents.urls")),
    path("api/", include("duikou.api.urls")),
    path("iati/", include("duikou.iati.urls")),
    path("imports/", include("duikou.imports.urls")),
]
