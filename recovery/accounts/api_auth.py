"""The API's door: bearer-token authentication, the refusal a program gets without a usable
token, and `GET /me` (who the token belongs to and the roles they hold).

The API accepts tokens only, never the session cookie: a browser that is signed in to the
service cannot be tricked into calling it (no CSRF exposure), and every call is attributable to
a named token. Only the token's prefix is ever logged, never the secret."""

import logging
from datetime import datetime, timedelta

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from recovery.accounts.actions import TOKEN_PREFIX
from recovery.accounts.models import ApiToken, User
from recovery.core.api import answers, error_response
from recovery.core.constants import Role, UnitKind
from recovery.core.pages import page
from recovery.core.scope import scopes_of

security_log = logging.getLogger("recovery.security")

REFUSAL = (
    "Send a valid API token in the Authorization header, as 'Bearer <token>'. "
    "Tokens expire and can be revoked: make a new one on your API tokens page."
)

# last_used_at is a rough "is this token still in use?" for its owner, so one write a minute is
# plenty; the WHERE clause makes the other calls' UPDATE match no row, so they write nothing.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _shown_prefix(secret: str) -> str:
    """What may be logged of a presented secret: our tokens' public prefix, or nothing (a
    password pasted by mistake must not reach the logs, not even in part)."""
    if secret.startswith(TOKEN_PREFIX) and len(secret) > 12:
        return secret[:12]
    return "(not a token of this service)"


def _refuse(request: HttpRequest, reason: str, prefix: str = "") -> None:
    security_log.warning(
        "API call refused: %s; token prefix %s; %s %s from %s",
        reason,
        prefix or "(none)",
        request.method,
        request.path,
        request.META.get("REMOTE_ADDR", "unknown address"),
    )


def _why_unusable(token: ApiToken | None) -> str:
    if token is None:
        return "unknown token"
    if token.revoked_at:
        return "revoked token"
    if token.expires_at <= timezone.now():
        return "expired token"
    if not token.user.is_active:
        return "token of a deactivated person"
    return "unusable token"  # pragma: no cover - usable() and this list agree


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <secret>`: the secret's SHA-256 must match a token that is not
    revoked, not expired and whose owner is still active. Answers the token's owner."""

    def __call__(self, request: HttpRequest) -> User | None:
        value = request.headers.get(self.header, "")
        scheme, _, secret = value.partition(" ")
        if scheme.lower() != self.openapi_scheme or not secret.strip():
            _refuse(request, "no bearer token" if not value else "not a bearer token")
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key_hash = ApiToken.hash_secret(token)
        found = ApiToken.objects.usable().select_related("user").filter(key_hash=key_hash).first()
        if found is None:
            unusable = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
            _refuse(
                request,
                _why_unusable(unusable),
                unusable.prefix if unusable else _shown_prefix(token),
            )
            return None
        now = timezone.now()
        if found.last_used_at is None or found.last_used_at < now - LAST_USED_RESOLUTION:
            # Read just now: most calls skip the write and its round trip. The WHERE clause
            # still keeps concurrent calls to one write.
            ApiToken.objects.filter(pk=found.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
            ).update(last_used_at=now)
        user = found.user
        # Whatever the session cookie said, this request is the token's owner's.
        request.user = user
        request.api_token = found
        return user


def unauthorised(request: HttpRequest, exc: Exception) -> JsonResponse:
    """The 401 for every refused call: the same words whatever the reason (the reason is in the
    security log), and the RFC 6750 challenge."""
    response = error_response(401, REFUSAL)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


class UnitOut(Schema):
    code: str = Field(description="The unit's code, as used in the API's URLs")
    name: str = Field(description="The unit's name")
    kind: UnitKind = Field(description="What kind of organisation unit it is")


class RoleOut(Schema):
    role: Role = Field(description="The role held")
    role_label: str = Field(description="The role's name as people read it")
    unit: UnitOut = Field(description="Where the role is held; it covers everything beneath")


class MeOut(Schema):
    email: str = Field(description="The person's work e-mail address")
    name: str = Field(description="The person's full name")
    job_title: str = Field(description="Their job title; empty when not given")
    token_name: str = Field(description="The name of the token this call was made with")
    token_expires_at: datetime = Field(description="When this token stops working")
    roles: list[RoleOut] = Field(description="Every role the person holds, and where")


router = Router(tags=["You"])


@router.get(
    "/me",
    response=answers(MeOut),
    operation_id="getMe",
    summary="Who you are",
    description="The person the token belongs to and the roles they hold at organisation units.",
)
def me(request: HttpRequest) -> MeOut:
    user: User = request.auth
    token: ApiToken = request.api_token
    return MeOut(
        email=user.email,
        name=user.get_full_name(),
        job_title=user.job_title,
        token_name=token.name,
        token_expires_at=token.expires_at,
        roles=[
            RoleOut(
                role=s.role,
                role_label=s.role_label,
                unit=UnitOut(code=s.unit_code, name=s.unit_name, kind=s.unit_kind),
            )
            for s in scopes_of(user)
        ],
    )


page("api:GET /api/v1/me", None)
