"""Routes of the reports app's generation pages, included by reports/urls.py."""

from django.urls import path

from . import generation_views as views

urlpatterns = [
    path("drafts/<int:pk>/generate/", views.version_request, name="version_request"),
    path("versions/<int:pk>/", views.version_status, name="version_status"),
    path("versions/<int:pk>/progress/", views.version_progress, name="version_progress"),
    path("versions/<int:pk>/retry/", views.version_retry, name="version_retry"),
    path("versions/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("versions/<int:pk>/docx/", views.version_docx, name="version_docx"),
]
