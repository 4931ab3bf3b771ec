"""URLs of the published figure sets (namespace ``figures``), mounted at ``/figures/`` by
``duikou.config.urls``."""

from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("", views.index, name="index"),
    path("publish/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:key>/", views.figure, name="figure"),
]
