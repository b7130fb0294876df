"""The JSON API at /api/v1/: one NinjaAPI, a router per app, bearer tokens only.

Every endpoint needs a token (recovery.accounts.api_auth); the OpenAPI description at
/api/v1/openapi.json is public and lists every answer each operation can give (the shared error
body and its handlers are in recovery.core.api). No interactive docs page: the CSP forbids its
CDN assets. See docs/decisions/0002-api-framework.md."""

from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from recovery.accounts import api_auth
from recovery.core.api import ERROR_MEANINGS, install_error_handlers
from recovery.core.pages import public
from recovery.estate.api import router as estate_router

STATUSES = "\n".join(f"- **{status}**: {meaning}" for status, meaning in ERROR_MEANINGS.items())

api = NinjaAPI(
    title="Recovery planning and assurance API",
    version="1.0.0",
    description="Read the estate, the framework library and Regime Recovery Plans, and update "
    "plan answers. Send `Authorization: Bearer <token>`; make a token on your API tokens page."
    '\n\nEvery error answers `{"detail": "..."}` in words a person can act on; a request '
    "that is not valid also lists its `problems`. The statuses:\n\n" + STATUSES,
    docs_url=None,
    auth=api_auth.ApiTokenAuth(),
    urls_namespace="api",
)
install_error_handlers(api)
api.add_exception_handler(AuthenticationError, api_auth.unauthorised)

api.add_router("", api_auth.router)
api.add_router("", estate_router)

public("api:GET /api/v1/openapi.json")
api.add_router("/", "recovery.plans.api.router")
api.add_router("/", "recovery.frameworks.api.router")
api.add_router("/", "recovery.covid.api.router")
api.add_router("/", "recovery.backlogs.api.router")
