"""Home, dashboards, national overview and their chart data (JSON)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.national_overview, name="overview"),
    path("overview/chart.json", views.chart_overview, name="chart-overview"),
    path("pairings/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("pairings/<int:pk>/charts/funds-by-year.json", views.chart_funds_by_year, name="chart-funds-by-year"),
    path("pairings/<int:pk>/charts/projects-by-task.json", views.chart_projects_by_task, name="chart-projects-by-task"),
    path("pairings/<int:pk>/charts/funds-by-task.json", views.chart_funds_by_task, name="chart-funds-by-task"),
    path("pairings/<int:pk>/charts/progress.json", views.chart_progress, name="chart-progress"),
    path("pairings/<int:pk>/charts/locations.json", views.chart_locations, name="chart-locations"),
]
