"""URLs of the import page (namespace ``imports``), mounted at ``/imports/`` by ``duikou.config.urls``."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("template.xlsx", views.template, name="template"),
]
