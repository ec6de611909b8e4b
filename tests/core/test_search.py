"""The one search's handling of what people type: no database."""

import html
import re

from hypothesis import example, given
from hypothesis import strategies as st

from loti.core import search
from loti.core.search import MAX_TERM_CHARS, MAX_TERMS, highlight, parse

WORD = re.compile(r"[^\W_]+")


def words_of(query: search.Query) -> list[str]:
    return [*query.terms, *(word for phrase in query.phrases for word in phrase)]


@given(st.text(max_size=2000))
# Lowercased, "İ" gains a combining mark, which is not a word character.
@example("İstanbul")
def test_whatever_is_typed_only_words_reach_the_engine(text):
    query = parse(text)
    words = words_of(query)
    assert len(words) <= MAX_TERMS
    for word in words:
        assert WORD.fullmatch(word), word
        assert len(word) <= MAX_TERM_CHARS
    assert all(len(phrase) > 1 for phrase in query.phrases)


@given(st.lists(st.sampled_from(['"', "'", "*", "(", ")", "-", "^", ":", "\0", "NEAR", "OR", "x"])))
def test_engine_syntax_is_only_a_word_boundary(pieces):
    for word in words_of(parse(" ".join(pieces))):
        assert WORD.fullmatch(word)


def test_operators_quotes_and_sql_become_plain_words():
    query = parse("""housing* OR "adult  social-care" NEAR(x) '; DROP TABLE resources; --""")
    assert query.terms == ("housing", "or", "near", "x", "drop", "table", "resources")
    assert query.phrases == (("adult", "social", "care"),)


def test_a_quoted_single_word_is_a_term_and_repeats_are_kept_once():
    query = parse('"parking" parking Parking "data platform" "data platform"')
    assert query.terms == ("parking",)
    assert query.phrases == (("data", "platform"),)


def test_nothing_searchable_is_an_empty_query():
    for text in ["", "   ", '""', "*** --- ;;;", "\0\0", "🏠🚀", None]:
        assert not parse(text)


def test_a_long_paste_is_cut_to_the_first_words():
    query = parse("word " * 10_000)
    assert query.terms == ("word",)
    assert len(words_of(parse(" ".join(f"w{n}" for n in range(100))))) == MAX_TERMS


def test_letters_of_any_language_are_words():
    assert parse("Café Ünïcode ЖИЛЬЁ 住宅").terms == ("café", "ünïcode", "жильё", "住宅")


def test_highlight_escapes_html_and_marks_whole_words_only():
    marked = highlight(
        '<script>alert("x")</script> Housing, rehousing & housings', parse("housing")
    )
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked
    assert "<mark>Housing</mark>" in marked
    assert "re<mark>" not in marked
    assert "<mark>housings" not in marked
    assert marked.count("<mark>") == 1


def test_highlight_marks_the_words_of_phrases_too():
    marked = highlight("A shared data platform for boroughs", parse('"data platform" boroughs'))
    assert marked == ("A shared <mark>data</mark> <mark>platform</mark> for <mark>boroughs</mark>")


def test_highlight_shows_the_part_of_a_long_text_that_matches():
    text = "filler " * 200 + "the parking permit scheme " + "filler " * 200
    marked = highlight(text, parse("permit"), length=120)
    assert marked.startswith("…")
    assert marked.endswith("…")
    assert "<mark>permit</mark>" in marked
    assert len(marked) < 200


def test_highlight_without_a_match_is_the_start_of_the_text():
    assert highlight("Street lighting sensors", parse("parking")) == "Street lighting sensors"


@given(st.text(max_size=600), st.text(max_size=60))
def test_highlight_is_only_the_text_escaped_with_marks(text, typed):
    marked = str(highlight(text, parse(typed)))
    plain = marked.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in plain
    assert ">" not in plain
    original = " ".join(text.split())
    assert html.unescape(plain).strip("…") in original
