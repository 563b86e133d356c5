from django.urls import path

from . import import_views, org_edit_views, org_views

app_name = "org"

urlpatterns = [
    path("units/", org_views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/", org_views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", org_views.unit_children, name="unit_children"),
    path("people/", org_views.people_search, name="people"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("units/new/", org_edit_views.unit_edit, name="unit_create"),
    path("units/<int:pk>/edit/", org_edit_views.unit_edit, name="unit_edit"),
    path("people/new/", org_edit_views.person_edit, name="person_create"),
    path("people/<int:pk>/edit/", org_edit_views.person_edit, name="person_edit"),
]
