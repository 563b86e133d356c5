"""Routes of the pledges app's document pages, included by pledges/urls.py."""

from django.urls import path

from . import document_views

urlpatterns = [
    path(
        "pledges/<int:pk>/documents/",
        document_views.pledge_documents,
        name="pledge_documents",
    ),
    path("pledges/<int:pk>/pdf/", document_views.pledge_pdf, name="pledge_pdf"),
    path(
        "documents/<int:pk>/download/",
        document_views.document_download,
        name="document_download",
    ),
]
