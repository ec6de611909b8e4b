import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy with a fresh nonce for each response.

    Templates put `nonce="{{ csp_nonce }}"` on the few inline scripts they need; nothing
    else inline runs, and nothing is loaded from another origin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            nonce = request.csp_nonce
            directives = [
                "default-src 'self'",
                f"script-src 'self' 'nonce-{nonce}'",
                f"style-src 'self' 'nonce-{nonce}'",
                "img-src 'self' data:",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
            if settings.HTTPS:
                directives.append("upgrade-insecure-requests")
            response["Content-Security-Policy"] = "; ".join(directives)
        return response


class SessionActivityMiddleware:
    """Keeps a session alive while it is used, writing it to the database at most once a
    minute rather than on every request.

    A session ends SESSION_COOKIE_AGE seconds after it was last saved (the idle timeout).
    Saving it on every request would keep that to the second at the cost of a database write
    per page; saving it when its last save is a minute old keeps it to the minute. Sits after
    SessionMiddleware, so that a session marked here is saved on the way out.
    """

    REFRESH_SECONDS = 60
    SAVED_AT = "_loti_saved_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.SAVED_AT, 0) >= self.REFRESH_SECONDS:
                session[self.SAVED_AT] = now  # modified, so saved with a fresh expiry
        return response


# When the session's person signed in, in seconds since the epoch.
SIGNED_IN_AT = "_loti_signed_in_at"


def session_age_limit_text() -> str:
    hours, seconds = divmod(settings.SESSION_ABSOLUTE_SECONDS, 3600)
    if seconds:
        minutes = round(settings.SESSION_ABSOLUTE_SECONDS / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{hours} hour{'s' if hours != 1 else ''}"


class SessionAgeMiddleware:
    """Signs a person out SESSION_ABSOLUTE_SECONDS after they signed in, however busy the
    session has been: the idle timeout alone would let a stolen session live for ever.

    The sign-in page stores the time (`mark_signed_in`); a session signed in some other way
    is marked on its first request. Sits after the authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if signed_in_at is None:
                request.session[SIGNED_IN_AT] = now
            elif now - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    "You have been signed out because you signed in more than "
                    f"{session_age_limit_text()} ago. Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def mark_signed_in(request) -> None:
    request.session[SIGNED_IN_AT] = int(time.time())
