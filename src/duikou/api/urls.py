"""``/api/v1/`` (one endpoint per register, the figures of a pairing), ``/api/schema/`` (OpenAPI),
``/api/docs/`` (Swagger UI) and ``/api/redoc/`` (ReDoc), served with the vendored assets."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .views import FiguresView, viewsets_for_registers

app_name = "api"

router = DefaultRouter()
for slug, viewset in viewsets_for_registers():
    router.register(slug, viewset, basename=slug)

urlpatterns = [
    path("v1/pairings/<int:pk>/figures/", FiguresView.as_view(), name="pairing-figures"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
