"""The shapes every page of the service takes: a form page that saves through a service, a
confirmation page before a deletion, and pages of a long list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

FORM_PAGE = "core/form_page.html"


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors on the form: on their field where the form has
    it, otherwise at the top of the page."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted(request):
    """The form data of a POST, even an empty one, so that a form posted empty shows its
    errors; None for a GET."""
    return request.POST if request.method == "POST" else None


def save_form(request, form, *, save, success, then):
    """On a valid POST, save the form's data through a service. Its validation errors are
    shown on the form (nothing is saved); on success, say so and redirect."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, success(result))
    return redirect(then(result))


def form_page(request, form, *, title: str, cancel_url: str, breadcrumbs=(), **extra):
    return render(
        request,
        FORM_PAGE,
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
            **extra,
        },
    )


def confirm_delete(
    request, *, obj, delete, title, done, next_url, breadcrumbs, submit_label="Yes, delete it"
):
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(obj)
        messages.success(request, done)
        return redirect(next_url)
    return render(
        request,
        "core/confirm_delete.html",
        {
            "title": title,
            "warning": "Its change history is kept, but the record itself cannot be brought back.",
            "submit_label": submit_label,
            "cancel_url": obj.get_absolute_url(),
            "breadcrumbs": breadcrumbs,
        },
    )


def paginate(items, page_number: Any, *, per_page: int) -> Page:
    """The page of `items` a `?page=` value asks for: the last for one past the end, the
    first for anything not a number."""
    return Paginator(items, per_page).get_page(page_number)


def pagination(page: Page, *, query: str = "", param: str = "page") -> dict[str, Any]:
    """What core/includes/pagination.html needs: the page, the page numbers to link to, the
    rest of the query string (URL-encoded) to keep on every link and the name of the
    parameter that turns the pages (`page`, unless one page has several lists)."""
    return {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": query,
        "param": param,
    }


# A number whose digits, found once in the URL reversed for it, mark where each id goes.
_ID_MARKER = 9_223_372_036_854_775_807


def url_for_id(url_name: str) -> Callable[[int], str]:
    """`lambda pk: reverse(url_name, args=[pk])` for a URL whose only argument is an
    `<int:...>`, for the rows of a table: the URL is reversed once, not once a row (each
    reverse() costs tens of microseconds, as much as the rest of a row's rendering)."""
    marker = str(_ID_MARKER)
    url = reverse(url_name, args=[_ID_MARKER])
    if url.count(marker) != 1:  # the marker's digits elsewhere in the URL too: reverse each
        return lambda pk: reverse(url_name, args=[pk])
    before, after = url.split(marker)
    return lambda pk: f"{before}{int(pk)}{after}"
