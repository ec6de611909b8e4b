import random
import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from loti.techmap.matching import Match, Suggestion, VendorIndex, normalise

VENDORS = [
    (1, "Civica UK Limited"),
    (1, "Civica Group"),
    (2, "Capita Business Services Ltd"),
    (2, "Capita plc"),
    (3, "Northgate Public Services"),
    (3, "NEC Software Solutions UK"),
    (4, "Idox Software Ltd"),
    (5, "Microsoft Limited"),
    (6, "Oracle Corporation UK Ltd"),
    (7, "Agilisys Limited"),
    (8, "Academy Software"),
    (9, "Salesforce UK Ltd"),
    (10, "Bentley Systems (UK) Ltd"),
    (11, "Marks & Spencer plc"),
    (12, "Société Générale"),
    (13, "Liquidlogic Ltd"),
    (14, "Servelec Group"),
    (15, "Arcus Global Ltd"),
    (16, "Netcall Technology"),
    (17, "Firmstep Ltd"),
]
INDEX = VendorIndex(VENDORS)


# normalise -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("The Civica Group Ltd.", "civica"),
        ("CIVICA UK LIMITED", "civica"),
        ("Civica (UK) Holdings plc", "civica"),
        ("Marks & Spencer P.L.C.", "marks and spencer"),
        ("Société  Générale", "societe generale"),
        ("Capita-IT Services Inc.", "capita it services"),
        ("Sainsbury’s Supermarkets Ltd", "sainsburys supermarkets"),
        ("I.B.M. United Kingdom Limited", "ibm united kingdom"),
        ("  Fujitsu\tServices   LLP ", "fujitsu services"),
        ("ＦＵＪＩＴＳＵ", "fujitsu"),  # full-width letters
        # "the" goes only at the start, and noise words only at the end.
        ("Limited Edition Software The", "limited edition software the"),
        ("The Access Group", "access"),
        # A name of noise words alone keeps its last word rather than vanishing.
        ("The Group Ltd", "group"),
        ("The", "the"),
        ("...", ""),
        ("", ""),
    ],
)
def test_normalise(name, expected):
    assert normalise(name) == expected


@given(st.text())
def test_normalise_is_idempotent(name):
    once = normalise(name)
    assert normalise(once) == once


@given(st.text())
def test_normalised_names_are_plain_words(name):
    normalised = normalise(name)
    assert normalised == normalised.strip()
    assert "  " not in normalised
    assert all(ch.isalnum() or ch == " " for ch in normalised)


# Matching --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "vendor_id"),
    [
        ("The Civica Group Ltd.", 1),
        ("CIVICA", 1),
        ("Capita", 2),  # an alias, reduced
        ("capita business services", 2),
        ("NEC Software Solutions", 3),  # an alias
        ("Northgate Public Services (UK) Limited", 3),
        ("Marks and Spencer", 11),
        ("Societe Generale", 12),
    ],
)
def test_exact_matches_after_normalising(name, vendor_id):
    assert INDEX.match(name) == Match(vendor_id=vendor_id, status="exact", score=100.0)


def test_word_order_does_not_matter():
    match = INDEX.match("Business Services Capita")

    assert (match.vendor_id, match.status, match.score) == (2, "fuzzy", 100.0)


@pytest.mark.parametrize(
    ("name", "vendor_id", "status"),
    [
        # Short names: one typo is suggested, never linked.
        ("Civca", 1, "uncertain"),
        ("Cvica", 1, "uncertain"),
        ("Agilisis", 7, "uncertain"),
        ("Liquidlogik", 13, "uncertain"),
        ("Microsfot Ltd", 5, "uncertain"),
        ("Salesforse", 9, "uncertain"),
        # A typo that moves the word when words are sorted still scores on the plain ratio.
        ("Northgate Pubic Services", 3, "fuzzy"),
        ("Northgate Zublic Services", 3, "fuzzy"),
        ("Capita Busines Services", 2, "fuzzy"),
        ("Bentley Systms", 10, "fuzzy"),
        # A missing or extra letter costs half a wrong one: linked from about seven letters.
        ("Civicca Ltd", 1, "fuzzy"),
        ("Netcal Technology", 16, "fuzzy"),
    ],
)
def test_single_typos(name, vendor_id, status):
    match = INDEX.match(name)

    assert match.status == status
    if status == "fuzzy":
        assert match.vendor_id == vendor_id
        assert match.suggestions == ()
    else:
        assert match.vendor_id is None
        assert match.suggestions[0].vendor_id == vendor_id
        assert 80 <= match.score < 92


def test_civca_is_suggested_with_its_score():
    match = INDEX.match("Civca")

    # Indel distance 1 over 11 characters.
    assert match.score == pytest.approx(100 * 10 / 11)
    assert match.suggestions[0] == Suggestion(1, "Civica UK Limited", match.score)


@pytest.mark.parametrize("name", ["Oracle Cloud", "Amazon Web Services", "Zzz", "Capgemini"])
def test_unrelated_names_are_new(name):
    assert INDEX.match(name) == Match(vendor_id=None, status="new", score=0.0, suggestions=())


@pytest.mark.parametrize("name", ["", "   ", "---", "(...)"])
def test_names_without_words_are_new(name):
    assert INDEX.match(name) == Match(vendor_id=None, status="new", score=0.0)


def test_a_tie_between_vendors_is_uncertain_even_above_accept():
    candidates = [(1, "Acme Digital Services"), (2, "Acme Digital Servicez")]

    match = VendorIndex(candidates).match("Acme Digital Servicex")

    assert match.status == "uncertain"
    assert match.vendor_id is None
    assert match.score >= 92
    assert [s.vendor_id for s in match.suggestions] == [1, 2]
    assert match.suggestions[0].score == match.suggestions[1].score


def test_a_tie_between_aliases_of_one_vendor_is_not_a_tie():
    candidates = [(1, "Acme Digital Services"), (1, "Acme Digital Servicez"), (2, "Other")]

    match = VendorIndex(candidates).match("Acme Digital Servicex")

    assert (match.status, match.vendor_id) == ("fuzzy", 1)


def test_the_clear_winner_above_accept_is_linked_despite_a_close_second():
    candidates = [(1, "Acme Digital Services"), (2, "Acme Digital Servers")]

    match = VendorIndex(candidates).match("Acme Digital Service")

    assert (match.status, match.vendor_id) == ("fuzzy", 1)


def test_two_vendors_with_the_same_normal_form_are_never_merged():
    candidates = [(1, "Civica Ltd"), (2, "CIVICA UK LIMITED"), (3, "Capita")]

    match = VendorIndex(candidates).match("Civica")

    assert match == Match(
        vendor_id=None,
        status="uncertain",
        score=100.0,
        suggestions=(
            Suggestion(1, "Civica Ltd", 100.0),
            Suggestion(2, "CIVICA UK LIMITED", 100.0),
        ),
    )


def test_suggestions_are_one_per_vendor_best_first_at_most_three():
    candidates = [
        (1, "Abcde Fghij"),
        (1, "Abcde Fghik"),
        (2, "Abcde Fghil"),
        (3, "Abcde Fgxyz"),
        (4, "Abcde Fgxij"),
        (5, "Abcde Fghim"),
    ]

    match = VendorIndex(candidates).match("Abcde Fghzz")

    assert match.status == "uncertain"
    assert len(match.suggestions) == 3
    assert len({s.vendor_id for s in match.suggestions}) == 3
    scores = [s.score for s in match.suggestions]
    assert scores == sorted(scores, reverse=True)
    # Vendor 1's two aliases tie; one suggestion for it, named by the first alias alphabetically.
    assert match.suggestions[0] == Suggestion(1, "Abcde Fghij", scores[0])


def test_thresholds_can_be_moved():
    assert VendorIndex(VENDORS, accept=90).match("Civca").vendor_id == 1
    assert VendorIndex(VENDORS, accept=95, suggest=95).match("Civca").status == "new"


def test_bad_thresholds_are_refused():
    with pytest.raises(ValueError):
        VendorIndex(VENDORS, accept=80, suggest=90)
    with pytest.raises(ValueError):
        VendorIndex(VENDORS, accept=101)


def test_the_index_reports_distinct_normal_forms():
    # "Civica UK Limited" and "Civica Group" are both "civica".
    assert len(INDEX) == len(VENDORS) - 1


# Properties ------------------------------------------------------------------------------

names = st.text(alphabet=string.ascii_letters + " &.-'()éü", min_size=1, max_size=30)


@given(names, st.lists(st.tuples(st.integers(2, 50), names), max_size=20))
def test_a_name_always_matches_itself_exactly(name, others):
    assume(normalise(name))
    others = [(vid, other) for vid, other in others if normalise(other) != normalise(name)]

    match = VendorIndex([*others, (1, name)]).match(name)

    assert match == Match(vendor_id=1, status="exact", score=100.0)


def reference_scores(name: str, candidates: list[tuple[int, str]]) -> dict[int, float]:
    """Every vendor's best score, the slow way: every candidate, scored in full."""
    query = normalise(name)
    best: dict[int, float] = {}
    for vendor_id, candidate in candidates:
        other = normalise(candidate)
        if not other:
            continue
        score = max(fuzz.ratio(query, other), fuzz.token_sort_ratio(query, other))
        best[vendor_id] = max(score, best.get(vendor_id, 0.0))
    return best


words = st.text(alphabet="abcdeo", min_size=1, max_size=8)
short_names = st.lists(words, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=300)
@given(
    short_names,
    st.lists(st.tuples(st.integers(1, 8), short_names), min_size=1, max_size=25),
    st.sampled_from([(92, 80), (90, 60), (100, 0), (50, 50)]),
)
def test_agrees_with_scoring_every_candidate(name, candidates, thresholds):
    accept, suggest = thresholds
    assume(normalise(name) not in {normalise(c) for _, c in candidates})

    match = VendorIndex(candidates, accept=accept, suggest=suggest).match(name)

    scores = reference_scores(name, candidates)
    above = sorted((s for s in scores.values() if s >= suggest), reverse=True)
    if not above:
        assert match == Match(vendor_id=None, status="new", score=0.0)
        return
    assert match.score == above[0]
    tied = len(above) > 1 and above[1] == above[0]
    if above[0] >= accept and not tied:
        assert match.status == "fuzzy"
        assert scores[match.vendor_id] == above[0]
    else:
        assert match.status == "uncertain"
        assert match.vendor_id is None
        assert [s.score for s in match.suggestions] == above[:3]
        assert all(scores[s.vendor_id] == s.score for s in match.suggestions)


letters = string.ascii_lowercase


@given(st.data())
def test_one_letter_typos_of_longer_names_are_at_least_suggested_first(data):
    vendor_id, name = data.draw(st.sampled_from([(v, n) for v, n in VENDORS if v != 12]))
    key = normalise(name)
    assume(len(key.replace(" ", "")) > 6)
    position = data.draw(st.sampled_from([i for i, ch in enumerate(key) if ch != " "]))
    letter = data.draw(st.sampled_from(letters))
    typo = data.draw(
        st.sampled_from(
            [
                key[:position] + key[position + 1 :],  # a letter missed
                key[:position] + letter + key[position + 1 :],  # a wrong letter
                key[:position] + letter + key[position:],  # an extra letter
                (key[:position] + key[position + 1] + key[position] + key[position + 2 :])
                if position + 1 < len(key) and key[position + 1] != " "
                else key,  # two letters swapped
            ]
        )
    )
    assume(normalise(typo) == typo)  # the typo did not create or remove a noise word

    match = INDEX.match(typo)

    if match.status in ("exact", "fuzzy"):
        assert match.vendor_id == vendor_id
    else:
        assert match.status == "uncertain"
        assert match.suggestions[0].vendor_id == vendor_id


def test_many_names_against_thousands_of_candidates():
    # The shape of a large import: 5,000 vendors and 5,000 names, repeats and typos included.
    rng = random.Random(5)

    def word() -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(3, 10)))

    bases = [f"{word()} {word()}" for _ in range(5_000)]
    index = VendorIndex((i, f"{base} Ltd") for i, base in enumerate(bases))
    names = [f"{rng.choice(bases)}{rng.choice(['', 'x'])} Limited" for _ in range(5_000)]

    statuses = {index.match(name).status for name in names}

    assert statuses <= {"exact", "fuzzy", "uncertain"}
    assert "exact" in statuses
