from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from campaigns import views as campaign_views

from .forms import LoginForm
from .health import healthz

admin.site.site_header = _("Quản trị hệ thống Thi đua – Khen thưởng")
admin.site.site_title = _("Quản trị Thi đua")

urlpatterns = [
    path("", campaign_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("campaigns/", include("campaigns.urls")),
    path("org/", include("campaigns.org_urls")),
    path("blocs/", include("pledges.urls")),
    path("awards/", include("awards.urls")),
    path("reports/", include("reports.urls")),
]

# Uploaded and generated files are never served from MEDIA_URL: every download goes
# through a view that checks the user's scope.
