from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.cache import never_cache

from loti.core import history, navigation, selectors, services
from loti.core import home as home_page
from loti.core.access import methods, require
from loti.core.forms import DateField, GovukForm
from loti.core.pages import paginate, pagination
from loti.core.permissions import Data


@methods("GET")
def home(request):
    return render(request, "core/home.html", {"sections": home_page.sections_for(request.user)})


@methods("GET")
def section(request, slug):
    """A group of the navigation's sections, where the navigation shows the group as one."""
    group = navigation.group_for(slug)
    sections = [
        (section, url)
        for section, url in navigation.sections_for(request.user)
        if group is not None and section.group == group.label
    ]
    if not sections:
        raise Http404("No such section")
    return render(request, "core/section.html", {"group": group, "sections": sections})


@methods("GET")
def accessibility(request):
    return render(request, "core/accessibility.html")


@never_cache
@methods("GET")
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and probes."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: whatever broke the page may break them too.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@login_required
@never_cache
@methods("GET")
def task_progress(request, pk):
    progress = selectors.task_progress_for_user(user=request.user, pk=pk)
    # Work whose worker died would otherwise show as in progress for ever.
    progress = services.task_progress_fail_if_stale(progress=progress)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": progress.state,
                "state_label": progress.get_state_display(),
                "done": progress.done,
                "total": progress.total,
                "percent": progress.percent,
                "message": progress.message,
                "finished": progress.is_finished,
                "result_url": progress.result_url,
            }
        )
    return render(request, "core/task_progress.html", {"progress": progress})


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="What is this token for?",
        help_text="For example, “Finance spreadsheet sync”. Only you and the office see this.",
        max_length=100,
        error_messages={
            "required": "Enter what this token is for",
            "max_length": "What this token is for must be 100 characters or fewer",
        },
    )


@login_required
@methods("GET", "POST")
def api_token_create(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(person=request.user, name=form.cleaned_data["name"])
        # The key is shown once, in this response, and never stored anywhere readable.
        response = render(request, "core/api_token_created.html", {"token": token, "raw": raw})
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "core/form_page.html",
        {
            "form": form,
            "title": "Create an API token",
            "lede": (
                "A token lets a program use the API as you, with your permissions. Anyone who "
                "has it can act as you, so keep it secret."
            ),
            "submit_label": "Create token",
            "cancel_url": reverse("members:person_detail", args=[request.user.pk]),
        },
    )


@login_required
@methods("POST")
def api_token_revoke(request, pk):
    token = selectors.api_token_for_user(user=request.user, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, f"Token “{token.name}” has been revoked. Programs using it can no longer sign in."
    )
    return redirect("members:person_detail", token.person_id)


class AuditFilterForm(GovukForm):
    kind = forms.TypedChoiceField(
        label="Kind of record",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Select a kind of record from the list"},
    )
    person = forms.ChoiceField(
        label="Changed by",
        required=False,
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    since = DateField(
        label="Changed on or after",
        help_text="For example, 27 3 2026",
        subject="the earliest date",
        required=False,
    )
    until = DateField(
        label="Changed on or before",
        help_text="For example, 31 3 2026",
        subject="the latest date",
        required=False,
    )

    def __init__(self, *args, kinds, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Every kind of record"), *kinds]
        self.fields["person"].choices = [("", "Anyone"), *people]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error(
                "until", "The latest date must be the same as or after the earliest date"
            )
        return data


@require(Data.AUDIT)
@methods("GET")
def audit_log(request):
    user = request.user
    filters = request.GET.copy()
    filters.pop("page", None)
    form = AuditFilterForm(
        filters or None,
        kinds=selectors.audit_log_kinds(user=user),
        people=selectors.audit_log_people(user=user),
    )
    # A filter in error is left out; the others still apply, and the page says what is wrong.
    chosen = {}
    if form.is_bound:
        form.is_valid()
        chosen = form.cleaned_data
    entries = selectors.audit_log(
        user=user,
        kind=chosen.get("kind"),
        person=chosen.get("person") or "",
        since=chosen.get("since"),
        until=chosen.get("until"),
    )
    page = paginate(entries, request.GET.get("page"), per_page=50)
    context = pagination(page, query=filters.urlencode())
    context.update(
        form=form,
        entries=history.present(page.object_list, links=True),
        filtered=bool(chosen and any(chosen.values())),
    )
    return render(request, "core/audit_log.html", context)
