"""Similar-work lookup: TF-IDF cosine over stemmed words. Pure maths, no database."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.core.similarity import similar, stem, terms

CORPUS = [
    ("project:4", "Shared data platform for adult social care across boroughs"),
    ("proposal:12", "Parking permits as a digital service residents can use online"),
    ("proposal:13", "Cyber security training for councillors and senior officers"),
    ("project:7", "Street lighting sensors to cut energy use"),
    ("proposal:14", "Reusing open-source case management for housing repairs"),
]


def test_a_near_duplicate_idea_ranks_above_unrelated_work():
    found = similar("A social care data platform shared by the boroughs", CORPUS)
    assert found[0][0] == "project:4"
    assert found[0][1] > 0.6
    assert all(key != "proposal:13" for key, _ in found)


def test_different_forms_of_a_word_match():
    found = similar("Reuse of open source housing repair case management", CORPUS)
    assert found[0][0] == "proposal:14"
    assert found[0][1] > 0.8


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("councils", "council"),
        ("boroughs", "borough"),
        ("sharing", "shar"),
        ("shared", "shar"),
        ("share", "shar"),
        ("mapped", "map"),
        ("communities", "commun"),
        ("community", "commun"),
        ("collaboration", "collabor"),
        ("collaborative", "collabor"),
        ("process", "process"),
        ("analysis", "analysis"),
        ("status", "status"),
        ("data", "data"),
        ("2026", "2026"),
    ],
)
def test_light_stemming_brings_word_forms_together(word, expected):
    assert stem(word) == expected


def test_stop_words_and_punctuation_are_left_out():
    assert terms("The councils, and their DATA!") == ["council", "data"]


def test_a_hand_computed_score():
    # Three documents counting the query: "parking" appears in 2, "permit" in 1, "bay" in 1.
    # idf = ln((1 + 3) / (1 + df)) + 1: parking ln(4/3) + 1, permit and bay ln(2) + 1.
    # Query (parking, permit) against "parking bays": the shared term is parking.
    parking, rare = math.log(4 / 3) + 1, math.log(2) + 1
    expected = parking**2 / (math.hypot(parking, rare) * math.hypot(parking, rare))
    found = similar("parking permits", [("a", "parking bays"), ("b", "lighting")], threshold=0)
    assert found == [("a", round(expected, 3))]


def test_the_same_text_scores_1():
    assert similar(CORPUS[1][1], CORPUS, limit=1) == [("proposal:12", 1.0)]


def test_ties_are_ordered_by_key_and_the_limit_and_threshold_apply():
    corpus = [("proposal:3", "bin collection"), ("proposal:1", "bin collection")]
    assert similar("bin collection", corpus) == [("proposal:1", 1.0), ("proposal:3", 1.0)]
    assert similar("bin collection", corpus, limit=1) == [("proposal:1", 1.0)]
    assert similar("bin collection calls", corpus, threshold=0.99) == []


def test_nothing_to_compare_gives_no_matches():
    assert similar("", CORPUS) == []
    assert similar("the and of", CORPUS) == []
    assert similar("social care", []) == []


@given(
    st.text(alphabet="abcde fgh", max_size=40),
    st.lists(st.tuples(st.text("xyz", min_size=1, max_size=3), st.text("abcde fgh")), max_size=8),
)
def test_scores_are_rounded_sorted_above_the_threshold_and_independent_of_corpus_order(
    text, corpus
):
    found = similar(text, corpus, limit=10, threshold=0.2)
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0.2 <= score <= 1 and round(score, 3) == score for score in scores)
    assert similar(text, list(reversed(corpus)), limit=10, threshold=0.2) == found
