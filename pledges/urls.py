from django.urls import include, path

from . import views

app_name = "pledges"

urlpatterns = [
    path("", views.bloc_list, name="bloc_list"),
    path("<int:pk>/", views.bloc_detail, name="bloc_detail"),
    path("<int:pk>/members/", views.bloc_members_edit, name="bloc_members_edit"),
    path("<int:pk>/years/new/", views.bloc_year_create, name="bloc_year_create"),
    path("years/<int:pk>/", views.bloc_year_detail, name="bloc_year"),
    path("years/<int:pk>/edit/", views.bloc_year_edit, name="bloc_year_edit"),
    path("years/<int:pk>/pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/edit/", views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pk>/commitments/", views.commitments_edit, name="commitments_edit"),
    path("pledges/<int:pk>/open/", views.pledge_open, name="pledge_open"),
    path("pledges/<int:pk>/signatures/", views.signatures_record, name="signatures_record"),
    path("pledges/<int:pk>/amend/", views.pledge_amend, name="pledge_amend"),
    path(
        "pledges/<int:pk>/amendments/<int:number>/",
        views.amendment_detail,
        name="amendment_detail",
    ),
    path("", include("pledges.document_urls")),
    path("", include("pledges.scoring_urls")),
]
