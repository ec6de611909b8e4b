"""The library's forms: a resource's details, and a version (a file or a link)."""

from __future__ import annotations

from typing import Any

from django import forms

from loti.core.forms import GovukForm
from loti.core.permissions import is_office
from loti.library.files import KINDS
from loti.library.models import Kind, Licence
from loti.members import selectors as member_selectors
from loti.portfolio.projects import selectors as project_selectors
from loti.portfolio.workstreams import selectors as workstream_selectors
from loti.techmap import selectors as techmap_selectors

VERSION_FIELDS = ("label", "changes", "upload", "link")


class VersionForm(GovukForm):
    label = forms.CharField(
        label="Version",
        max_length=40,
        help_text="For example, 1.0 or March 2026",
        error_messages={
            "required": "Enter the version, for example 1.0 or March 2026",
            "max_length": "The version must be 40 characters or fewer",
        },
    )
    changes = forms.CharField(
        label="What changed (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is new in this version, for those who used an earlier one",
    )
    upload = forms.FileField(
        label="Upload a file",
        required=False,
        help_text=f"{KINDS[0].upper()}{KINDS[1:]}. Or give a web address below instead.",
        error_messages={"invalid": f"Select {KINDS}", "empty": "The selected file is empty"},
    )
    link = forms.CharField(
        label="Or the web address where it is published",
        required=False,
        max_length=500,
        help_text="Starting with https://",
        error_messages={"max_length": "The web address must be 500 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        upload = self.fields["upload"]
        upload.widget.govuk_kind = "file"
        upload.widget.attrs["class"] = "govuk-file-upload"
        upload.widget.attrs["accept"] = ".pdf,.docx,.xlsx,.odt,.csv,.md,.txt"
        self.fields["link"].widget.attrs["spellcheck"] = "false"

    def add_error(self, field: str | None, error: Any) -> None:
        # Also called with a service's errors after validation, so marked here.
        super().add_error(field, error)
        if "upload" in self.errors:
            self.fields["upload"].widget.attrs["class"] = (
                "govuk-file-upload govuk-file-upload--error"
            )

    def version(self) -> dict[str, Any]:
        """The keyword arguments of services.version_add."""
        data = self.cleaned_data
        return {
            "label": data["label"],
            "changes": data["changes"],
            "upload": data["upload"],
            "link": data["link"],
        }


class ResourceForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What it is, who made it and how others can use it",
        error_messages={"required": "Enter a summary"},
    )
    kind = forms.ChoiceField(
        label="What kind of resource is it?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of resource it is"},
    )
    licence = forms.ChoiceField(
        label="Licence",
        choices=Licence.choices,
        widget=forms.RadioSelect,
        help_text=(
            "On an open licence anyone may read, download and reuse it, saying where it came "
            "from. Members only: just the consortium's members and partners may read it."
        ),
        error_messages={"required": "Select a licence"},
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Which organisations made it?",
        queryset=member_selectors.organisations(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select the organisations that made it",
            "invalid_choice": "Select organisations from the list",
        },
    )
    service_areas = forms.ModelMultipleChoiceField(
        label="Which services is it for? (optional)",
        queryset=techmap_selectors.service_areas(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    workstreams = forms.ModelMultipleChoiceField(
        label="Which workstreams is it part of? (optional)",
        queryset=workstream_selectors.workstream_list(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    projects = forms.ModelMultipleChoiceField(
        label="Which projects did it come from? (optional)",
        queryset=project_selectors.project_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own = None if is_office(user) else getattr(user, "organisation", None)
        if self.own is not None:
            # A member writes for their own organisation: it is always an author, and the
            # question is only who else helped.
            field = self.fields["organisations"]
            field.queryset = field.queryset.exclude(pk=self.own.pk)
            field.required = False
            field.label = "Which other organisations helped make it? (optional)"
            field.help_text = f"{self.own.short_name} is recorded as an author"

    def clean_organisations(self) -> list[Any]:
        chosen = list(self.cleaned_data.get("organisations") or [])
        return [self.own, *chosen] if self.own is not None else chosen

    def resource(self) -> dict[str, Any]:
        """The keyword arguments of services.resource_create and resource_update."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in VERSION_FIELDS and name != "publish"
        }


class ResourceCreateForm(VersionForm, ResourceForm):
    """A new resource and its first version, saved together."""

    field_order = [*ResourceForm.base_fields, *VERSION_FIELDS, "publish"]

    publish = forms.BooleanField(
        label="Publish it now",
        required=False,
        help_text="Otherwise it is kept as a draft that only your organisation and the "
        "office can see, until you publish it",
    )
