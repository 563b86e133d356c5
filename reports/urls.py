from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("reports.draft_urls")),
    path("", include("reports.generation_urls")),
    path("", include("reports.kind_urls")),
    path("", include("reports.reminder_urls")),
]
