"""The notice pages outside the register framework (the register's own pages are under
``ui:disclosures-…``): ``disclosure:publish``, ``disclosure:withdraw``, ``disclosure:document``,
``disclosure:docx``."""

from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("disclosures/<int:pk>/publish/", views.publish, name="publish"),
    path("disclosures/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("disclosures/<int:pk>/document/", views.document_page, name="document"),
    path("disclosures/<int:pk>/document.docx", views.document_docx, name="docx"),
]
