"""The table forms of a date print exactly what Django's `date` filter prints."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from loti.core.templatetags.loti_dates import month_year, short_date

LONDON = zoneinfo.ZoneInfo("Europe/London")


@given(st.dates())
def test_dates_read_as_the_date_filter_prints_them(day):
    assert short_date(day) == django_date(day, "j M Y")
    assert month_year(day) == django_date(day, "M Y")


@given(
    st.datetimes(
        min_value=datetime.datetime(1900, 1, 1),
        max_value=datetime.datetime(2200, 12, 31),
        timezones=st.sampled_from([datetime.UTC, LONDON]),
    )
)
def test_an_aware_datetime_reads_as_the_date_filter_prints_it_in_a_template(moment):
    # In a template, where the date filter is given the local time (not when called directly).
    ours = Template("{% load loti_dates %}{{ m|short_date }} / {{ m|month_year }}")
    django = Template('{{ m|date:"j M Y" }} / {{ m|date:"M Y" }}')
    assert ours.render(Context({"m": moment})) == django.render(Context({"m": moment}))


def test_an_aware_datetime_is_shown_on_the_local_calendar():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    late = datetime.datetime(2027, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert timezone.get_current_timezone_name() == "Europe/London"
    assert short_date(late) == "1 Jul 2027"
    assert month_year(late) == "Jul 2027"


def test_no_date_prints_nothing_so_that_default_can_say_what_to_show():
    page = Template(
        '{% load loti_dates %}{{ none|short_date|default:"Not known" }} / '
        '{{ blank|month_year|default:"—" }} / {{ day|short_date }} / {{ day|month_year }}'
    ).render(Context({"none": None, "blank": "", "day": datetime.date(2029, 3, 3)}))
    assert page == "Not known / — / 3 Mar 2029 / Mar 2029"


def test_a_moment_reads_in_govuk_style_in_londons_time():
    from loti.core.templatetags.loti_dates import date_and_time

    def at(hour, minute, month=12):
        return date_and_time(datetime.datetime(2026, month, 3, hour, minute, tzinfo=LONDON))

    assert at(12, 0) == "3 December 2026 at 12pm"
    assert at(0, 0) == "3 December 2026 at 12am"
    assert at(9, 30) == "3 December 2026 at 9:30am"
    assert at(17, 5) == "3 December 2026 at 5:05pm"
    # Stored in UTC, shown as the clock in London read it (summer time in June).
    summer = datetime.datetime(2026, 6, 3, 11, 0, tzinfo=datetime.UTC)
    assert date_and_time(summer) == "3 June 2026 at 12pm"
    assert date_and_time(None) == date_and_time(datetime.date(2026, 6, 3)) == ""
