from django.urls import include, path

from . import views

app_name = "pledges"

urlpatterns = [
    path("", views.bloc_list, name="bloc_list"),
    path("<int:pk>/", views.bloc_detail, name="bloc_detail"),
    path("", include("pledges.document_urls")),
    path("", include("pledges.scoring_urls")),
]
