import datetime
from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from loti.core.forms import DateField, GovukForm, MoneyField, WholeNumberField


class Example(GovukForm):
    on = DateField(subject="the start date", label="Start date")
    amount = MoneyField(subject="the amount", label="Amount")
    note = forms.CharField(label="Note", required=False, help_text="Anything else")


def test_error_summary_links_go_to_the_first_box_of_each_field():
    form = Example(data={"on_0": "", "on_1": "", "on_2": "", "amount": ""})
    assert not form.is_valid()
    assert form.error_links() == [
        ("#id_on_0", "Enter the start date"),
        ("#id_amount", "Enter the amount"),
    ]
    html = str(form)
    assert 'aria-describedby="id_amount-error"' in html
    assert "govuk-input--error" in html


class Choices(GovukForm):
    many = forms.MultipleChoiceField(
        label="Services", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    one = forms.ChoiceField(
        label="Phase", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )


def test_several_choices_are_checkboxes_and_one_choice_is_radios():
    html = str(Choices())
    assert html.count('type="checkbox"') == 2
    assert html.count('type="radio"') == 2
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in html


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_any_real_date_round_trips(day):
    form = Example(
        data={
            "on_0": str(day.day),
            "on_1": str(day.month),
            "on_2": f"{day.year:04d}",
            "amount": "1",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == day


@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6))
def test_any_input_is_a_date_or_a_message_never_an_exception(day, month, year):
    form = Example(data={"on_0": day, "on_1": month, "on_2": year, "amount": "1"})
    if not form.is_valid():
        assert all(isinstance(message, str) and message for message in form.errors.get("on", []))


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_money_written_with_pound_sign_and_commas_is_read_exactly(amount):
    written = f"£{amount:,.2f}"
    form = Example(data={"on_0": "1", "on_1": "1", "on_2": "2020", "amount": written})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("-5", "The amount must be £0 or more"),
        ("1.234", "The amount must be in pounds and pence, like 30000.50"),
        ("ten pounds", "The amount must be an amount in pounds, like 30000 or 30000.00"),
    ],
)
def test_bad_money_messages(written, message):
    form = Example(data={"on_0": "1", "on_1": "1", "on_2": "2020", "amount": written})
    assert form.errors["amount"] == [message]


class Counts(GovukForm):
    cycles = WholeNumberField(
        subject="the number of cycles", label="Cycles", min_value=1, max_value=50, fewer=True
    )
    weight = WholeNumberField(
        subject="the weight", label="Weight", min_value=1, max_value=100, required=False
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"cycles": ""}, {"cycles": ["Enter the number of cycles"]}),
        ({"cycles": "four"}, {"cycles": ["The number of cycles must be a whole number, like 3"]}),
        ({"cycles": "0"}, {"cycles": ["The number of cycles must be 1 or more"]}),
        ({"cycles": "51"}, {"cycles": ["The number of cycles must be 50 or fewer"]}),
        ({"cycles": "4", "weight": "101"}, {"weight": ["The weight must be 100 or less"]}),
    ],
)
def test_whole_number_messages(data, errors):
    assert Counts(data=data).errors == errors


def test_a_whole_number_is_a_numeric_text_box():
    html = str(Counts()["cycles"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert "govuk-input govuk-input--width-5" in html


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (Decimal("30000.00"), 'value="30000"'),
        (Decimal("30000.5"), 'value="30000.50"'),
        (Decimal("0.00"), 'value="0"'),
    ],
)
def test_an_amount_is_shown_back_as_a_person_would_type_it(stored, shown):
    from loti.members.forms import BudgetForm

    html = str(BudgetForm(initial={"amount": stored})["amount"])
    assert shown in html


def test_what_was_typed_is_shown_back_as_typed():
    html = str(Example(data={"amount": "30,000.00"})["amount"])
    assert 'value="30,000.00"' in html


def test_a_rate_is_shown_back_without_trailing_zeros():
    from loti.core.forms import DecimalField

    class Rate(GovukForm):
        rate = DecimalField(label="Rate", max_digits=8, decimal_places=4)

    assert 'value="0.035"' in str(Rate(initial={"rate": Decimal("0.0350")})["rate"])
