from django.contrib import admin
from django.urls import include, path

from kompis.core import urls as core_urls
from kompis.home import urls as home_urls

# The Django admin is for superusers only; staff work in Kompis' own pages. (Replacing the method on the
# one site object is the point, hence the ignore.)
admin.site.has_permission = (  # type: ignore[method-assign]
    lambda request: bool(request.user.is_active and request.user.is_superuser)
)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("accounts/", include("kompis.accounts.urls")),
    path("staff/participants/", include("kompis.participants.staff_urls")),
    path("staff/organisation/", include("kompis.organisations.urls")),
    path("staff/team/", include("kompis.organisations.staff_urls")),
    path("staff/matching/", include("kompis.matching.urls")),
    path("staff/events/", include("kompis.events.urls")),
    path("staff/events/", include("kompis.events.attendance_urls")),
    path("staff/events/", include("kompis.events.calendar_urls")),
    path("", include("kompis.events.calendar_feed_urls")),
    path("staff/programmes/", include("kompis.programmes.urls")),
    path("staff/surveys/", include("kompis.surveys.urls")),
    path("staff/reports/", include("kompis.reports.urls")),
    path("staff/tasks/", include("kompis.worklist.urls")),
    path("", include("kompis.events.public_urls")),
    path("", include("kompis.programmes.public_urls")),
    path("", include("kompis.surveys.public_urls")),
    path("", include("kompis.followup.urls")),
    path("", include("kompis.organisations.public_urls")),
    # The staff home lives above the feature apps (kompis.home) but keeps its name core:staff_home.
    path("", include((core_urls.urlpatterns + home_urls.urlpatterns, "core"))),
    path("", include("kompis.participants.public_urls")),
]
