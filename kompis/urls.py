from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("accounts/", include("kompis.accounts.urls")),
    path("staff/participants/", include("kompis.participants.staff_urls")),
    path("staff/organisation/", include("kompis.organisations.urls")),
    path("staff/matching/", include("kompis.matching.urls")),
    path("staff/reports/", include("kompis.reports.urls")),
    path("", include("kompis.followup.urls")),
    path("", include("kompis.core.urls")),
    path("", include("kompis.participants.public_urls")),
]
