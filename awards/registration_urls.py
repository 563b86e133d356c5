"""Routes of the awards app's registration and records pages, included by awards/urls.py."""

from django.urls import path

from . import records_views, registration_views

urlpatterns = [
    # Registrations (đăng ký thi đua)
    path("registrations/", registration_views.registration_list, name="registration_list"),
    path("registrations/new/", registration_views.registration_create, name="registration_create"),
    path(
        "registrations/<int:pk>/",
        registration_views.registration_detail,
        name="registration_detail",
    ),
    path(
        "registrations/<int:pk>/edit/",
        registration_views.registration_edit,
        name="registration_edit",
    ),
    path(
        "registrations/<int:pk>/submit/",
        registration_views.registration_submit,
        name="registration_submit",
    ),
    path(
        "registrations/<int:pk>/approve/",
        registration_views.registration_approve,
        name="registration_approve",
    ),
    path(
        "registrations/<int:pk>/return/",
        registration_views.registration_return,
        name="registration_return",
    ),
    path(
        "registrations/<int:pk>/import/",
        registration_views.registration_import,
        name="registration_import",
    ),
    path(
        "registrations/<int:pk>/import/confirm/",
        registration_views.registration_import_confirm,
        name="registration_import_confirm",
    ),
    path(
        "registrations/<int:pk>/import/template/",
        registration_views.registration_import_template,
        name="registration_import_template",
    ),
    # Ratings, discipline, initiatives of a unit and year
    path("records/", records_views.records_home, name="records_home"),
    path(
        "records/units/<int:unit_pk>/<int:year>/", records_views.records_unit, name="records_unit"
    ),
    path(
        "records/units/<int:unit_pk>/<int:year>/ratings/",
        records_views.ratings_edit,
        name="records_ratings",
    ),
    path(
        "records/units/<int:unit_pk>/<int:year>/discipline/",
        records_views.discipline_edit,
        name="records_discipline",
    ),
    path(
        "records/units/<int:unit_pk>/<int:year>/initiatives/",
        records_views.initiative_list,
        name="records_initiatives",
    ),
    path(
        "records/units/<int:unit_pk>/<int:year>/initiatives/new/",
        records_views.initiative_edit,
        name="records_initiative_create",
    ),
    path(
        "records/units/<int:unit_pk>/<int:year>/initiatives/<int:pk>/edit/",
        records_views.initiative_edit,
        name="records_initiative_edit",
    ),
    path(
        "records/units/<int:unit_pk>/import/<slug:kind>/",
        records_views.records_import,
        name="records_import",
    ),
    path(
        "records/units/<int:unit_pk>/import/<slug:kind>/confirm/",
        records_views.records_import_confirm,
        name="records_import_confirm",
    ),
    path(
        "records/units/<int:unit_pk>/import/<slug:kind>/template/",
        records_views.records_import_template,
        name="records_import_template",
    ),
    # Awards granted before the system existed
    path(
        "records/past-awards/import/", records_views.past_awards_import, name="past_awards_import"
    ),
    path(
        "records/past-awards/import/confirm/",
        records_views.past_awards_import_confirm,
        name="past_awards_import_confirm",
    ),
    path(
        "records/past-awards/import/template/",
        records_views.past_awards_import_template,
        name="past_awards_import_template",
    ),
]
