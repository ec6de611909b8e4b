from django.conf import settings

from loti.core.navigation import navigation_for


def site(request):
    return {
        "consortium_name": settings.CONSORTIUM_NAME,
        "consortium_short_name": settings.CONSORTIUM_SHORT_NAME,
        "feedback_email": settings.FEEDBACK_EMAIL,
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "nav_items": navigation_for(request),
    }
