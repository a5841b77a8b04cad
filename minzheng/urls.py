from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigns.views import boards as campaign_boards
from minzheng.health import healthz
from org import views as org_views
from org.auth_views import LoginView, PasswordChangeView

urlpatterns = [
    path("", org_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("org/", include("org.urls")),
    path("plans/", include("campaigns.urls")),
    path("screen/<str:token>/", campaign_boards.screen, name="screen"),
    path("relief/", include("relief.urls")),
    path("eldercare/", include("eldercare.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]
