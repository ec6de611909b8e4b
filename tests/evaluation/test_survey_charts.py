"""The survey's charts: diverging around zero, with tables of the same data. That they are
valid Vega-Lite, tests/test_chart_specs.py checks."""

from types import SimpleNamespace

from loti.evaluation.interviews import charts as interview_charts
from loti.evaluation.surveys import charts as survey_charts
from loti.evaluation.surveys.stats import choice_distribution, summarise_likert
from tests.evaluation.survey_builders import LIKERT_COUNTS

ANSWERS = summarise_likert(LIKERT_COUNTS)


def test_disagreement_lies_left_of_zero_and_neither_is_split_across_it():
    chart = survey_charts.likert_chart(id="q1", title="1. Q", summary=ANSWERS)
    segments = {s["answer"]: (s["start"], s["end"]) for s in chart.spec["data"]["values"]}
    # Of the 10 who gave a view: 10% + 10% disagree, 20% neither, 40% + 20% agree.
    assert segments == {
        "Strongly disagree": (-30.0, -20.0),
        "Disagree": (-20.0, -10.0),
        "Neither agree nor disagree": (-10.0, 10.0),
        "Agree": (10.0, 50.0),
        "Strongly agree": (50.0, 70.0),
    }


def test_segments_are_labelled_in_words_and_dont_know_is_reported_apart():
    chart = survey_charts.likert_chart(id="q1", title="1. Q", summary=ANSWERS)
    labels = [s["label"] for s in chart.spec["data"]["values"]]
    assert labels == ["SD 10%", "D 10%", "N 20%", "A 40%", "SA 20%"]
    assert chart.spec["title"]["subtitle"] == "Don't know: 3 of 13 answers (23%), not in the bar."
    assert "Don't know" not in {s["answer"] for s in chart.spec["data"]["values"]}


def test_the_likert_table_has_the_same_counts_and_shares():
    chart = survey_charts.likert_chart(id="q1", title="1. Q", summary=ANSWERS)
    assert chart.rows == [
        ["Strongly disagree", "1", "10%"],
        ["Disagree", "1", "10%"],
        ["Neither agree nor disagree", "2", "20%"],
        ["Agree", "4", "40%"],
        ["Strongly agree", "2", "20%"],
        ["Gave a view (the base)", "10", "100%"],
        ["Don't know (share of all answers)", "3", "23%"],
    ]


def test_a_question_nobody_answered_draws_an_empty_bar():
    chart = survey_charts.likert_chart(id="q1", title="1. Q", summary=summarise_likert({}))
    assert all(s["start"] == s["end"] == 0 for s in chart.spec["data"]["values"])


def test_the_choice_chart_gives_shares_of_those_who_answered():
    choices = choice_distribution([("Projects", 3), ("Training", 1)], base=4)
    chart = survey_charts.choice_chart(id="q2", title="2. Which?", choices=choices, base=4)
    assert chart.columns[2] == "Share of the 4 who answered"
    assert chart.rows == [["Projects", "3", "75%"], ["Training", "1", "25%"]]


def test_the_themes_chart_counts_passages_and_interviews():
    themes = [
        SimpleNamespace(name="Data sharing", passage_count=4, interview_count=2),
        SimpleNamespace(name="Capacity constraints", passage_count=1, interview_count=1),
    ]
    chart = interview_charts.themes_chart(themes)
    assert [v["value"] for v in chart.spec["data"]["values"]] == [4, 1]
    assert chart.rows == [["Data sharing", "4", "2"], ["Capacity constraints", "1", "1"]]
