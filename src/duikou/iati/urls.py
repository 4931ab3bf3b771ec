from django.urls import path

app_name = "iati"

urlpatterns: list = []
