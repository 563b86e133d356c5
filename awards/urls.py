from django.urls import include, path

app_name = "awards"

urlpatterns = [
    path("", include("awards.history_urls")),
    path("", include("awards.catalogue_urls")),
    path("", include("awards.registration_urls")),
    path("", include("awards.nomination_urls")),
    path("", include("awards.council_urls")),
]
