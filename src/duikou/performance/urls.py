"""URLs of the performance pages (namespace ``performance``). Mounted by ``duikou.config.urls``
as ``path("performance/", include("duikou.performance.urls"))``; the indicator register's pages
(``/performance-indicators/…``) come with the other registers."""

from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("projects/<int:pk>/", views.project_assessment, name="project"),
    path("projects/<int:pk>/self-assessment.docx", views.project_assessment_docx, name="project-docx"),
    path("projects/<int:pk>/actuals/", views.project_actuals, name="actuals"),
    path("pairings/<int:pk>/<int:year>/", views.pairing_summary, name="summary"),
    path("pairings/<int:pk>/<int:year>/summary.docx", views.pairing_summary_docx, name="summary-docx"),
    path("pairings/<int:pk>/<int:year>/summary.xlsx", views.pairing_summary_xlsx, name="summary-xlsx"),
]
