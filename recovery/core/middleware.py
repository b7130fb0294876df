"""Anonymous requests for any page that is not public go to the sign-in page; pages for the
signed in are never cached."""

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils.cache import add_never_cache_headers


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except for the API, which answers 401 itself with its
    own token authentication instead of redirecting to a page a program cannot use."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class NoStoreWhenSignedInMiddleware:
    """What a signed-in person sees (plans, people, the audit trail) is never kept by the
    browser or any cache between them and the service: the back button after signing out, or
    the next user of a shared computer, must not show it. Static files never reach this
    middleware (WhiteNoise answers them first), so they stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        return response
