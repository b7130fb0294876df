"""Views every domain shares: health check, error pages, and the scoped-lookup helpers that
every other view uses to turn a URL into an object the user may see."""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from recovery.core.scope import allows, unit_filter

security_log = logging.getLogger("recovery.security")


def log_refusal(request, reason: str) -> None:
    """Every refused request is logged for the security team: who, what, and why."""
    user = getattr(request, "user", None)
    security_log.warning(
        "refused %s %s for user %s: %s",
        request.method,
        request.path,
        getattr(user, "pk", None),
        reason,
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For machines: 200 when the service can reach its database; 503 when it cannot."""
    if not database_is_working():
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def database_is_working() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return False
    return True


@login_not_required
@never_cache
@require_GET
def service_status(request):
    """For people (the footer's "Service status"): the same check as /healthz, in words.

    Shown as to a signed-out person, so that the page itself needs no database: reading the
    signed-in person (their session, roles and messages) would fail exactly when the database
    is down."""
    working = database_is_working()
    request.user = AnonymousUser()
    return render(
        request,
        "status.html",
        {"working": working, "checked_at": timezone.now(), "messages": []},
        status=200 if working else 503,
    )


def error_page(template_name: str, status: int) -> HttpResponse:
    """An error page rendered from its template alone: no request context, so no context
    processor (they read the database) runs, and no static manifest lookup; an answer about a
    failure must not fail in turn."""
    body = loader.render_to_string(
        template_name,
        {"service_name": settings.SERVICE_NAME, "static_url": settings.STATIC_URL},
    )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return error_page("errors/400.html", 400)


def forbidden(request, exception=None):
    return error_page("errors/403.html", 403)


def not_found(request, exception=None):
    return error_page("errors/404.html", 404)


def server_error(request):
    return error_page("errors/500.html", 500)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (an old page, cookies blocked): say what to do."""
    log_refusal(request, f"CSRF: {reason}")
    return error_page("errors/csrf.html", 403)


def require_permission(permission: str):
    """For pages that name no object: 403 unless the user holds `permission` somewhere."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allows(request.user, permission):
                log_refusal(request, f"lacks {permission}")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def scoped_get_or_404(
    user, permission: str, queryset, *, path_field: str = "path", missing: str = "", **lookup
):
    """The object named by the URL, if it lies within the user's scope for `permission`; a 404
    otherwise, whether it exists or not, so nothing about other organisations leaks. A request
    for an object that exists but lies outside the user's scope is logged. `missing` is what
    the 404 says (the API shows it), the same words whether the object exists or not."""
    try:
        return queryset.filter(unit_filter(user, permission, path_field=path_field)).get(**lookup)
    except queryset.model.DoesNotExist as error:
        if queryset.filter(**lookup).exists():
            security_log.warning(
                "refused out-of-scope %s %s for user %s (%s)",
                queryset.model._meta.label,
                lookup,
                getattr(user, "pk", None),
                permission,
            )
        raise Http404(missing) from error
