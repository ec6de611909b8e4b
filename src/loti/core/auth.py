"""Signing in and out and resetting a password, in the design system's style, with
throttling against password guessing."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy

from loti.core import services
from loti.core.access import methods
from loti.core.forms import GovukForm
from loti.core.middleware import mark_signed_in


def client_address(request) -> str:
    # Behind a reverse proxy REMOTE_ADDR is the proxy itself; the proxy appends the address
    # it saw to X-Forwarded-For, so the last entry is the one a client cannot forge.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.BEHIND_PROXY else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def throttled_message(reason: str) -> str:
    # A pause ends at most one window after it began: failures stop being counted while it
    # lasts, and each ages out of the window. A password reset lifts an address's pause.
    minutes = max(1, round(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60))
    wait = f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again"
    if reason == services.THROTTLED_CLIENT:
        return f"There have been too many wrong sign-ins from your network. {wait}."
    return f"You have entered the wrong details too many times. {wait}, or reset your password."


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if not email or not password:
            return cleaned
        client = client_address(self.request) if self.request else ""
        throttled = services.login_throttle(email=email, client=client)
        if throttled:
            raise forms.ValidationError(throttled_message(throttled))
        self.user_cache = authenticate(self.request, email=email.lower(), password=password)
        if self.user_cache is None:
            services.login_failure_record(email=email, client=client)
            raise forms.ValidationError("Enter a correct email address and password")
        services.login_failures_clear(email=email, client=client)
        return cleaned

    def get_user(self):
        return self.user_cache


class ResetRequestForm(GovukForm, PasswordResetForm):
    """Also the way a new person, set up by the office with no password, chooses one."""

    def get_users(self, email):
        model = get_user_model()
        return model._default_manager.filter(
            **{f"{model.get_email_field_name()}__iexact": email, "is_active": True}
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        }


class NewPasswordForm(GovukForm, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


class ChangePasswordForm(GovukForm, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


FORM_PAGE = "core/form_page.html"


class SignInView(auth_views.LoginView):
    def form_valid(self, form):
        response = super().form_valid(form)
        mark_signed_in(self.request)
        return response


sign_in = methods("GET", "POST")(
    SignInView.as_view(
        form_class=SignInForm,
        template_name=FORM_PAGE,
        redirect_authenticated_user=True,
        extra_context={
            "title": "Sign in",
            "submit_label": "Sign in",
            "after_form": "registration/sign_in_help.html",
        },
    )
)
_admin_sign_in = SignInView.as_view(
    form_class=SignInForm,
    template_name=FORM_PAGE,
    redirect_authenticated_user=True,
    next_page=reverse_lazy("admin:index"),
    extra_context={
        "title": "Sign in",
        "submit_label": "Sign in",
        "after_form": "registration/sign_in_help.html",
    },
)


@methods("GET", "POST")
def admin_sign_in(request):
    """The Django admin's sign-in: the site's own form, throttled alike, rather than
    Django's, which would let anyone guess superusers' passwords without limit."""
    if request.user.is_authenticated and not admin.site.has_permission(request):
        # Someone signed in who may not use the admin: sending them to sign in again would
        # bounce them back here.
        raise PermissionDenied
    return _admin_sign_in(request)


sign_out = methods("POST")(auth_views.LogoutView.as_view())
password_reset = methods("GET", "POST")(
    auth_views.PasswordResetView.as_view(
        form_class=ResetRequestForm,
        template_name=FORM_PAGE,
        email_template_name="core/email/password_reset_email.txt",
        subject_template_name="core/email/password_reset_subject.txt",
        extra_email_context={"consortium_name": settings.CONSORTIUM_NAME},
        extra_context={
            "title": "Reset your password",
            "lede": (
                "Enter the email address you sign in with. If it has an account, we will email it "
                "a link to choose a new password."
            ),
            "submit_label": "Send the link",
        },
    )
)
password_reset_done = methods("GET")(
    auth_views.PasswordResetDoneView.as_view(
        template_name="registration/message.html",
        extra_context={
            "title": "Check your email",
            "message": (
                "If the address you entered has an account, we have sent it a link to reset your "
                "password. The link works for 3 hours."
            ),
        },
    )
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Choosing a new password through the emailed link proves the person holds the
        # address: whatever was guessed before, they may sign in at once.
        services.login_failures_clear(email=form.user.email)
        return response


password_reset_confirm = methods("GET", "POST")(
    PasswordResetConfirmView.as_view(
        form_class=NewPasswordForm,
        template_name="registration/password_reset_confirm.html",
        post_reset_login=False,
    )
)
password_reset_complete = methods("GET")(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/message.html",
        extra_context={
            "title": "Your password has been reset",
            "message": "You can now sign in with your new password.",
            "sign_in_link": True,
        },
    )
)
password_change = methods("GET", "POST")(
    auth_views.PasswordChangeView.as_view(
        form_class=ChangePasswordForm,
        template_name=FORM_PAGE,
        success_url=reverse_lazy("password_change_done"),
        extra_context={"title": "Change your password", "submit_label": "Change password"},
    )
)
password_change_done = methods("GET")(
    auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/message.html",
        extra_context={
            "title": "Your password has been changed",
            "message": "Use your new password next time you sign in.",
        },
    )
)
