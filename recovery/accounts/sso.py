"""The seam for single sign-on (OpenID Connect, the way HMPPS Auth works).

Off by default: with SIGN_IN_METHOD=password people sign in with an email address and password.
With SIGN_IN_METHOD=oidc the settings add mozilla-django-oidc, this backend and its URLs
(/oidc/authenticate/, /oidc/callback/). Single sign-on proves who someone is; it never decides
what they may do: a person must already have an account here (matched by email address), and
their roles still come only from role assignments an administrator made. An unknown email is
refused rather than given an account."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class HmppsAuthBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims):  # noqa: ARG002 - accounts are made by administrators only
        return None

    def update_user(self, user, claims):  # noqa: ARG002 - identity only; details stay ours
        return user
