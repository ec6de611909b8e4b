"""GOV.UK Design System forms: every form renders its fields, hints and errors as the design
system does, with an error summary linking to the first input of each field in error."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from loti.core.text import join_words


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def widget_kind(widget: forms.Widget) -> str:
    if isinstance(widget, DateWidget):
        return "date"
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


INPUT_CLASSES = {
    "input": "govuk-input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
}
ERROR_CLASSES = {
    "input": "govuk-input--error",
    "select": "govuk-select--error",
    "textarea": "govuk-textarea--error",
}


class GovukForm(forms.Form):
    """Base for every form: classes, error states and the error summary's links."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = widget_kind(field.widget)
            field.widget.govuk_kind = kind
            css = INPUT_CLASSES.get(kind)
            if css:
                existing = field.widget.attrs.get("class", "")
                field.widget.attrs["class"] = f"{css} {existing}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                css = ERROR_CLASSES.get(field.widget.govuk_kind)
                if css and css not in field.widget.attrs.get("class", ""):
                    field.widget.attrs["class"] += f" {css}"
                field.widget.attrs["aria-invalid"] = "true"
                described = [f"{self[name].auto_id}-error"]
                if field.help_text:
                    described.insert(0, f"{self[name].auto_id}_helptext")
                field.widget.attrs["aria-describedby"] = " ".join(described)

    def error_links(self) -> list[tuple[str, str]]:
        """(href, message) pairs for the error summary, in the order fields appear."""
        links = [("#main-content", str(error)) for error in self.non_field_errors()]
        for bound in self:
            for error in bound.errors:
                links.append((f"#{first_input_id(bound)}", str(error)))
        return links


def first_input_id(bound: forms.BoundField) -> str:
    kind = getattr(bound.field.widget, "govuk_kind", "input")
    if kind in {"radios", "checkboxes", "date"}:
        return f"{bound.auto_id}_0"
    return bound.auto_id


def sentence(subject: str) -> str:
    """ "the start date" -> "The start date", to begin an error message."""
    return subject[:1].upper() + subject[1:]


class DateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "core/forms/date_widget.html"

    def __init__(self, attrs: dict | None = None) -> None:
        box = "govuk-input govuk-date-input__input"
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": f"{box} govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": f"{box} govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": f"{box} govuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date entered as day, month and year, with the design system's error messages.

    `subject` completes the messages: "Enter the date the Declaration was signed".
    """

    widget = DateWidget

    def __init__(self, *, subject: str, **kwargs: Any) -> None:
        self.subject = subject
        kwargs.setdefault("require_all_fields", False)
        error_messages = {"required": f"Enter {subject}", "incomplete": f"Enter {subject}"}
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, error_messages=error_messages, **kwargs)

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"{sentence(self.subject)} must include a {join_words(missing)}"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{sentence(self.subject)} must be a real date")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(f"{sentence(self.subject)} must be a real date") from exc


class WholeNumberField(forms.IntegerField):
    """A whole number typed into a text box (not a browser number input, which the design
    system advises against), with the design system's error messages.

    `subject` completes the messages: "Enter the number of users", "The number of users must
    be 0 or more". `example` is the number a "must be a whole number, like …" message gives.
    A count of things (`fewer=True`: cycles, points) "must be 50 or fewer"; anything else
    "must be 100 or less".
    """

    widget = forms.TextInput

    def __init__(
        self,
        *,
        subject: str,
        example: int | None = None,
        width: int = 5,
        fewer: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        name = sentence(subject)
        if example is None:
            example = max(self.min_value or 0, 1) * 3
            if self.max_value is not None:
                example = min(example, self.max_value)
        self.error_messages.update(
            {
                "required": f"Enter {subject}",
                "invalid": f"{name} must be a whole number, like {example}",
                "min_value": f"{name} must be {self.min_value} or more",
                "max_value": f"{name} must be {self.max_value} or {'fewer' if fewer else 'less'}",
            }
        )
        self.widget.attrs.update({"inputmode": "numeric", "class": f"govuk-input--width-{width}"})


class DecimalField(forms.DecimalField):
    """A number shown back as a person would type it: 0.035, not 0.0350."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite():
            return format(value.normalize(), "f")
        return value


class MoneyField(DecimalField):
    """An amount in pounds, accepting "30000", "30,000", "£30,000.00", and shown back as a
    person would type it: 30000, or 30000.50 where there are pence."""

    widget = forms.TextInput

    def __init__(self, *, subject: str, **kwargs: Any) -> None:
        self.subject = subject
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        super().__init__(**kwargs)
        name = sentence(subject)
        self.error_messages.update(
            {
                "required": f"Enter {subject}",
                "invalid": f"{name} must be an amount in pounds, like 30000 or 30000.00",
                "min_value": f"{name} must be £0 or more",
                "max_decimal_places": f"{name} must be in pounds and pence, like 30000.50",
                "max_digits": f"{name} must be less than £1,000,000,000,000",
                "max_whole_digits": f"{name} must be less than £1,000,000,000,000",
            }
        )
        self.widget.attrs.update(
            {"inputmode": "decimal", "spellcheck": "false", "class": "govuk-input--width-10"}
        )
        self.widget.prefix = "£"

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal) and value.is_finite() and value != value.to_integral_value():
            return f"{value:.2f}"
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)
