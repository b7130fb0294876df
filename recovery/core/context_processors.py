from django.conf import settings

from recovery.core import navigation
from recovery.core.scope import scopes_of

CURRENT_SCOPE_SESSION_KEY = "current_assignment_id"


def current_scope(request):
    """The scope a person is working in now: the one they chose with the organisation switcher,
    or their first. Permissions come from all their roles; this only picks their home page."""
    scopes = scopes_of(request.user)
    if not scopes:
        return None
    chosen = request.session.get(CURRENT_SCOPE_SESSION_KEY)
    return next((s for s in scopes if s.assignment_id == chosen), scopes[0])


def service(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "service_name": settings.SERVICE_NAME,
        "service_phase": settings.SERVICE_PHASE,
        "navigation": navigation.items_for(request) if signed_in else [],
        "current_scope": current_scope(request) if signed_in else None,
        "has_several_scopes": signed_in and len(scopes_of(user)) > 1,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
