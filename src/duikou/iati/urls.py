from django.urls import path

from . import views

app_name = "iati"

urlpatterns = [
    path("", views.index, name="index"),
    path("pairings/<int:pk>.xml", views.pairing_xml, name="pairing-xml"),
]
