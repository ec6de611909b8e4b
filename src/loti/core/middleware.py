import secrets

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
