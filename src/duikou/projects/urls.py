"""The lifecycle's pages: a step taken on a project, and the to-do list (no namespace, like
``duikou.reports.urls``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("todo/", views.todo, name="todo"),
    path("projects/<int:pk>/step/", views.project_transition_view, name="project-transition"),
]
