"""Report documents: the reports page of a pairing and its downloads (see :mod:`.views`)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("pairings/<int:pk>/", views.pairing_reports, name="pairing"),
    path("pairings/<int:pk>/summary.docx", views.summary_download, name="summary"),
    path("pairings/<int:pk>/tables/<slug:slug>.xlsx", views.table_download, name="table"),
]
