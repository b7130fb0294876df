from django.conf import settings
from django.urls import include, path

from recovery.api import api
from recovery.core import views as core_views
from recovery.estate import views as estate_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("service-status/", core_views.service_status, name="status"),
    path("", estate_views.home, name="home"),
    path("", include("recovery.accounts.urls")),
    path("estate/", include("recovery.estate.urls")),
    path("audit/", include("recovery.audit.urls")),
    path("frameworks/", include("recovery.frameworks.urls")),
    path("plans/", include("recovery.plans.urls")),
    path("covid/", include("recovery.covid.urls")),
    path("progression/", include("recovery.progression.urls")),
    path("backlogs/", include("recovery.backlogs.urls")),
    path("decisions/", include("recovery.decisions.urls")),
    path("probation/", include("recovery.probation.urls")),
    path("", include("recovery.public.urls")),
    path("api/v1/", api.urls),
]

if settings.SIGN_IN_METHOD == "oidc":
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "recovery.core.views.bad_request"
handler403 = "recovery.core.views.forbidden"
handler404 = "recovery.core.views.not_found"
handler500 = "recovery.core.views.server_error"
