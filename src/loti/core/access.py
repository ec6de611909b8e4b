"""Fetching records for a user: another organisation's private record is a 404, a read-only
user trying to write is a 403, and an anonymous visitor to a private page is asked to sign in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from loti.core.permissions import Action, Data, can, filter_for, is_office, reads_all


def get_for_user(
    queryset: models.QuerySet,
    user: Any,
    data: Data,
    *,
    action: Action = Action.READ,
    owner: str = "organisation_id",
    **lookup: Any,
) -> Any:
    obj = get_object_or_404(filter_for(queryset, user, data, owner=owner), **lookup)
    if action != Action.READ and not can(user, data, action, getattr(obj, owner)):
        raise PermissionDenied
    return obj


def methods(*allowed: str) -> Callable:
    """View decorator: the HTTP methods a view answers; any other gets a 405. The methods are
    kept on the view (`allowed_methods`), so the permission matrix can be checked to have a
    row for each of them."""

    def decorator(view: Callable) -> Callable:
        wrapped = require_http_methods(list(allowed))(view)
        wrapped.allowed_methods = frozenset(allowed)
        return wrapped

    return decorator


def require(data: Data, action: Action = Action.READ, *, consortium_wide: bool = False) -> Callable:
    """View decorator: the user may take `action` on some `data` (with `consortium_wide`, on
    every organisation's), or is sent to sign in (anonymous) or refused (403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args: Any, **kwargs: Any):
            allowed = (
                reads_all(request.user, data)
                if consortium_wide
                else can(request.user, data, action)
            )
            if not allowed:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def check_office(actor: Any) -> None:
    """Refuse (403) anyone but the office's staff, in a view (`check_office(request.user)`)
    or a service. A service's actor of None is the system itself (the demo, commands), which
    may do what the office does."""
    if actor is not None and not is_office(actor):
        raise PermissionDenied


def check_can(user: Any, data: Data, action: Action = Action.READ) -> None:
    """Refuse (403) a user who may not take `action` on any `data`: for selectors and
    services that are for one kind of reader only, whatever page calls them."""
    if not can(user, data, action):
        raise PermissionDenied
