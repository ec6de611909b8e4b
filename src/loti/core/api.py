"""The JSON API's shared wiring: personal-token authentication and errors that are always a
4xx with a reason for anything a client can send. Each app adds a router of its own."""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import IntegrityError
from django.db.models import F, Q
from django.http import Http404, HttpRequest
from modelsearch.backends.base import BaseSearchResults as SearchResults
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import LimitOffsetPagination
from ninja.schema import DjangoGetter
from ninja.security import HttpBearer
from pydantic import AfterValidator, BaseModel, model_validator

from loti.core import services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: the request acts as the token's person."""

    openapi_description = "A personal API token, created on your page in the service."

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        person = services.api_token_authenticate(raw=token)
        if person is not None:
            request.user = person
        return person


class PublicOrToken(TokenAuth):
    """Anyone may call; a token, if sent, must be valid and then widens what is visible."""

    def __call__(self, request: HttpRequest) -> Any | None:
        if "Authorization" not in request.headers:
            request.user = AnonymousUser()
            return request.user
        return super().__call__(request)


token_auth = TokenAuth()
public_or_token = PublicOrToken()


class Error(Schema):
    detail: Any


class Payload(Schema):
    """A JSON object a client sends. Ninja's schemas also read attributes of any object, so
    without this a body of `5` or `[]` would pass as an empty PATCH."""

    @model_validator(mode="wrap")
    @classmethod
    def _json_object(cls, data: Any, handler: Any) -> Any:
        # Ninja's own validator may already have wrapped the data for attribute access.
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict | BaseModel):
            raise ValueError("Send a JSON object")
        return handler(data)


# Every error an operation can answer with, for its OpenAPI description: 422 is a payload or
# parameter of the wrong shape, 400 one the right shape that the records refuse.
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store a NUL character in text: refuse it here, not with a 500 there.
    if "\x00" in value:
        raise ValueError("Remove the NUL character (\\x00)")
    return value


# Text a client sends that will be stored or looked up.
Text = Annotated[str, AfterValidator(_no_nul)]

SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


def is_slug(value: str) -> bool:
    return bool(SLUG.match(value))


class Pagination(LimitOffsetPagination):
    """Limit and offset with bounds, so a huge number is a 422 rather than a database error."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000, description="How many items to return, at most 1000")
        offset: int = Field(0, ge=0, le=2_147_483_647, description="How many items to skip")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=1000, **kwargs)

    def _items_count(self, queryset: Any) -> int:
        # Ranked search results count in the database, but have no `.all()` for ninja's
        # own count to call, which would fetch every result to take their length.
        if isinstance(queryset, SearchResults):
            return queryset.count()
        return super()._items_count(queryset)


def user_of(request: HttpRequest) -> Any:
    return request.auth if request.auth is not None else AnonymousUser()


MISSING_CREDENTIALS = (
    "Send a personal API token in the Authorization header: `Authorization: Bearer <token>`."
)
REJECTED_CREDENTIALS = (
    "The API token was not accepted: it may be mistyped or revoked, or its person may no longer "
    "have access. Send `Authorization: Bearer <token>` with an active token."
)


# What a broken database constraint means, said of the field it is about: each app names
# its own (from its AppConfig.ready(), as with the navigation). A constraint not named is
# explained by the fields it covers; its name is never shown.
_constraint_meanings: dict[str, tuple[str, str]] = {}


def explain_constraint(name: str, *, field: str, message: str) -> None:
    _constraint_meanings[name] = (field, message)
    _constraints.cache_clear()


REFUSED = "The records refuse these values: check them and try again"


def _fields_of(condition: Any) -> list[str]:
    """The fields a constraint's condition refers to, in order."""
    names: list[str] = []
    for child in condition.children if isinstance(condition, Q) else []:
        if isinstance(child, Q):
            names += _fields_of(child)
            continue
        lookup, value = child
        names.append(lookup.split("__")[0])
        if isinstance(value, F):
            names.append(value.name.split("__")[0])
    return list(dict.fromkeys(names))


@functools.cache
def _constraints() -> dict[str, tuple[str, str]]:
    """Every model constraint's name -> (the field it is about, what it means in words)."""
    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            fields = list(getattr(constraint, "fields", ()) or ()) or _fields_of(
                getattr(constraint, "condition", None)
            )
            labels = [
                str(model._meta.get_field(name).verbose_name).capitalize()
                for name in fields
                if name in {field.name for field in model._meta.get_fields()}
            ]
            message = (
                f"{' and '.join(labels)}: these values break a rule of the records"
                if labels
                else REFUSED
            )
            found[constraint.name] = _constraint_meanings.get(
                constraint.name, (fields[-1] if fields else "__all__", message)
            )
    return found


def _constraint_in(message: str) -> tuple[str, str] | None:
    """(field, message in words) for the constraint `message` names, if it names one."""
    for name, meaning in _constraints().items():
        if name in message:
            return meaning
    return None


def without_constraint_names(detail: dict[str, list[str]] | list[str]) -> Any:
    """Validation messages with any that names a database constraint put in words, under the
    field it is about."""
    if isinstance(detail, list):
        return [(_constraint_in(message) or (None, message))[1] for message in detail]
    explained: dict[str, list[str]] = {}
    for key, messages in detail.items():
        for message in messages:
            field, text = _constraint_in(message) or (key, message)
            explained.setdefault(field, []).append(text)
    return explained


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        sent = "Authorization" in request.headers
        reason = REJECTED_CREDENTIALS if sent else MISSING_CREDENTIALS
        response = api.create_response(request, {"detail": reason}, status=401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"' if sent else "Bearer"
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return api.create_response(
            request, {"detail": without_constraint_names(detail)}, status=400
        )

    @api.exception_handler(IntegrityError)
    def integrity_error(request, exc: IntegrityError):
        # The database's message names tables and constraints: say what it means instead.
        field, message = _constraint_in(str(exc)) or ("__all__", REFUSED)
        return api.create_response(request, {"detail": {field: [message]}}, status=400)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(
            request, {"detail": "Your role does not allow this."}, status=403
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return api.create_response(request, {"detail": body_too_large()}, status=413)


def body_too_large() -> str:
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return f"The request body is larger than the {megabytes:g} MB limit"
