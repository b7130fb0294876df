"""The API's contract, shared by every app's `api.py`: one error body, the answers each operation
documents, the input types that keep every value inside what the database can hold, and the
handlers that turn every failure under /api/ into that JSON body.

Every error the API gives is `{"detail": "..."}` in words a person can act on; a request that
fails validation also lists its `problems`, each with where it is and what is wrong. The
OpenAPI document at /api/v1/openapi.json lists, for each operation, every status it can answer,
and tests/test_api_contract.py holds the service to it with Schemathesis."""

import datetime
import logging
from http import HTTPStatus
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import BeforeValidator, ConfigDict, StrictBool, StrictInt, WithJsonSchema
from pydantic_core import PydanticCustomError

API_PREFIX = "/api/"

request_log = logging.getLogger("django.request")


# --- The error body ---------------------------------------------------------------------------


class ApiProblem(Schema):
    location: str = Field(description="Where the problem is: path, query or body")
    field: str = Field(
        description="Which value, as a dotted path within its location (`updates.0.owner`); "
        "empty when the problem is with the whole location"
    )
    message: str = Field(description="What is wrong with it")


class ApiError(Schema):
    """Every error the API answers has this shape."""

    detail: str = Field(description="What went wrong, in words a person can act on")
    problems: list[ApiProblem] = Field(
        default_factory=list,
        description="For a request that is not valid (422): each problem, where it is. Absent "
        "otherwise.",
    )


# What each status means for this API (the API's description lists them).
ERROR_MEANINGS = {
    400: "The request could not be read: a body that is not JSON, too many query parameters, "
    "or a host name the service does not answer to",
    401: "No usable API token was sent",
    403: "Your roles do not allow this anywhere",
    404: "Nothing with that identifier within your scope",
    405: "The address does not answer this method",
    409: "Someone changed it since you read it; nothing was changed",
    413: "The request body is larger than the service accepts (5 MB)",
    422: "The request is not valid; `problems` says where; nothing was changed",
    500: "The service failed; the failure is logged",
}
ALWAYS = (400, 401, 413, 500)


def answers(ok: Any, *errors: int) -> dict[int, Any]:
    """The `response=` of an operation: its success body and, with the shared error body, every
    error status it can answer: 400, 401, 413 and 500 for every operation, plus `errors` (422
    for every operation that takes a parameter or a body)."""
    return {200: ok, **dict.fromkeys(sorted({*ALWAYS, *errors}), ApiError)}


def error_response(status: int, detail: str, problems: list[dict] | None = None) -> JsonResponse:
    body: dict[str, Any] = {"detail": detail}
    if problems:
        body["problems"] = problems
    return JsonResponse(body, status=status)


# --- Input types: every value within what the service and its database can hold ---------------

MAX_OFFSET = 1_000_000
# PostgreSQL's integer and bigint; SQLite stores 64 bits.
MAX_INTEGER = 2_147_483_647
MAX_BIG_INTEGER = 9_223_372_036_854_775_807

UNIT_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{0,19}$"
NO_NUL_PATTERN = r"^[^\x00]*$"

# The words a person reads when a value does not match a pattern (pydantic's own message would
# print the regular expression).
PATTERN_MESSAGES = {
    UNIT_CODE_PATTERN: "must be an organisation unit's code: 1 to 20 capital letters, digits "
    "or hyphens, starting with a letter or digit",
    NO_NUL_PATTERN: "must not contain the NUL character",
}


def unit_code(what: str, example: str) -> Any:
    """A path or query value naming an organisation unit by its code. (`example`, not
    `examples`: django-ninja copies the field's examples onto the parameter, where OpenAPI
    wants a map, not a list.)"""
    return Annotated[
        str,
        Field(
            pattern=UNIT_CODE_PATTERN,
            description=f"The {what}'s code",
            json_schema_extra={"example": example},
        ),
    ]


def text(description: str, max_length: int) -> Any:
    """Free text sent in a body: bounded, and without the NUL character (no database keeps
    it)."""
    return Field(None, max_length=max_length, pattern=NO_NUL_PATTERN, description=description)


# A time of day as "HH:MM:SS" (JSON Schema's "time" format would demand a time zone).
ClockTime = Annotated[
    datetime.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$",
            "examples": ["09:00:00"],
        }
    ),
]


def _date_as_text(value: Any) -> Any:
    if not isinstance(value, str | datetime.date):
        raise PydanticCustomError("date_type", "Input should be a date, as YYYY-MM-DD")
    return value


# In a body, values are taken as the schema states them: a number is not a date, 0 is not
# false and "1" is not 1 (pydantic would otherwise convert them).
BodyDate = Annotated[datetime.date, BeforeValidator(_date_as_text)]
BodyInt = StrictInt
BodyBool = StrictBool


class Body(Schema):
    """A request body: a field the operation does not know is refused, so a misspelt one is
    never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Page(Schema):
    """`?limit=&offset=` for a list that answers a page at a time."""

    limit: int = Field(100, ge=1, le=500, description="The most items to answer (1 to 500)")
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description=f"How many matching items to skip (0 to {MAX_OFFSET})"
    )


# --- Turning every failure into the error body ------------------------------------------------


TYPE_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field this operation accepts",
}


def _problem(error: dict) -> dict:
    location, *path = [str(part) for part in error.get("loc", ())] or ["body"]
    if location == "body" and path[:1] == ["payload"]:
        path = path[1:]  # the handler's parameter name means nothing to a caller
    pattern = (error.get("ctx") or {}).get("pattern")
    message = (
        PATTERN_MESSAGES.get(pattern)
        or TYPE_MESSAGES.get(error.get("type"))
        or error.get("msg", "is not valid")
    )
    return {"location": location, "field": ".".join(path), "message": message}


def _describe(problems: list[dict]) -> str:
    shown = "; ".join(f"{p['field'] or p['location']}: {p['message']}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return f"The request is not valid. {shown}{more}."


def problems_response(problems: list[dict], detail: str = "") -> JsonResponse:
    """422 listing `problems`; `detail` defaults to a summary of them."""
    return error_response(422, detail or _describe(problems), problems)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problems_response([_problem(e) for e in exc.errors])


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "The request body is not valid JSON. Send a JSON object."
    return error_response(exc.status_code, message)


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, str(exc) or DEFAULT_DETAILS[404])


def too_large() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit // 1024**2} MB" if limit % 1024**2 == 0 else f"{limit} bytes"
    return error_response(413, f"The request body is too large: send at most {size}.")


def _too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return too_large()


def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    request_log.warning("Bad request %s %s: %s", request.method, request.path, exc)
    return error_response(400, DEFAULT_DETAILS[400])


def _failure(request: HttpRequest, exc: Exception) -> HttpResponse:
    request_log.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500}
    )
    return error_response(500, DEFAULT_DETAILS[500])


def install_error_handlers(api: NinjaAPI) -> None:
    """Every failure inside an API operation answers the error body (never HTML, never a
    traceback, whatever DEBUG says)."""
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(RequestDataTooBig, _too_big)
    api.add_exception_handler(SuspiciousOperation, _suspicious)
    api.add_exception_handler(Exception, _failure)


DEFAULT_DETAILS = {
    400: "The request could not be read.",
    403: "You may not do this.",
    404: "There is nothing at this address in the API. The operations it offers are listed "
    "at /api/v1/openapi.json.",
    500: "Something went wrong on our side and it has been logged. Try again later.",
}


class ApiErrorsMiddleware:
    """What happens under /api/ outside an operation answers the error body too: an oversized
    body is refused with 413 before anything reads it (Django would raise RequestDataTooBig, an
    HTML 400 or a 500), and an address or method the API does not have, or a failure in other
    middleware, is JSON rather than a web page. Headers such as `Allow` are kept."""

    KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if _declared_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return too_large()
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return self._as_json(request, response)
        return response

    def _as_json(self, request: HttpRequest, response: HttpResponse) -> JsonResponse:
        status = response.status_code
        if status == 405:
            detail = (
                f"This address does not answer {request.method}; it answers "
                f"{response.get('Allow', 'no method')}."
            )
        else:
            detail = DEFAULT_DETAILS.get(status) or _phrase(status)
        converted = error_response(status, detail)
        for name in self.KEPT_HEADERS:
            if name in response:
                converted[name] = response[name]
        return converted


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "The request failed."
