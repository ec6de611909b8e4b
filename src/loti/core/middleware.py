import secrets
import time

from django.conf import settings


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
