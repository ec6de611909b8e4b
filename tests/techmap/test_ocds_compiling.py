"""Compiling a process's releases: the same as the ocdsmerge reference implementation on the
real samples and on generated releases, restricted to the fields we keep; independent of the
order and the number of imports releases arrive in. No database."""

import collections
import json
import random
import warnings

import ocdsmerge
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ocdsmerge.exceptions import InconsistentTypeError
from ocdsmerge.rules import get_merge_rules

from loti.techmap.ocds.compiling import (
    FIELDS,
    ORDER,
    WHOLE_LIST_MERGE,
    CompileError,
    compiled,
    flatten,
    from_json,
    merge,
    release_date,
    to_json,
)
from tests.techmap.ocds_samples import OAKHEART_OCID, SCHEMA, releases_of, sample_releases

# The schema is read from the file: ocdsmerge would otherwise download it.
MERGER = ocdsmerge.Merger(schema=str(SCHEMA))
_DROP = object()


def project(value, fields=FIELDS, rule=()):
    """ocdsmerge's compiled release (or a release) cut down to FIELDS: list items keep their
    `id`; objects and lists that only the cut leaves empty go; what we keep whole (whole-list
    merges, lists holding anything but objects, fields kept whole in FIELDS) stays whole."""
    if fields is None or not isinstance(value, dict):
        return value
    out = {}
    for name, sub in fields.items():
        if name in value:
            kept = _project_value(value[name], sub, (*rule, name))
            if kept is not _DROP:
                out[name] = kept
    return out


def _project_value(value, sub, rule):
    if sub is None or rule in WHOLE_LIST_MERGE:
        return value
    if isinstance(value, dict):
        kept = project(value, sub, rule)
        return kept if kept or not value else _DROP
    if type(value) is list and all(isinstance(item, dict) for item in value):
        items = []
        for item in value:
            kept = project(item, sub, rule)
            if "id" in item:
                kept = {"id": item["id"], **kept}
            if kept or not item:
                items.append(kept)
        return items if items or not value else _DROP
    return value


def reference(releases, *, cut_first=False):
    """ocdsmerge's compiled release, cut to FIELDS. Cutting the releases before merging
    rather than the result after tells apart an object left empty by the cut from one that
    held only nulls, which generated releases have and the samples do not."""
    releases = json.loads(json.dumps(releases))  # ocdsmerge may append to lists in them
    if cut_first:
        releases = [{**project(release), "date": release["date"]} for release in releases]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate ids within one array
        return project(MERGER.create_compiled_release(releases))


def ours(*batches):
    """Merge each batch in turn, storing the state as JSON between them, as imports do."""
    state = {}
    for batch in batches:
        state = from_json(json.loads(json.dumps(to_json(state))))
        merge(state, batch)
    return compiled(state)


# The real samples -----------------------------------------------------------------------


def test_every_sample_process_compiles_as_ocdsmerge_does():
    by_ocid = collections.defaultdict(list)
    for release in sample_releases():
        by_ocid[release["ocid"]].append(release)
    assert len(by_ocid) == 269
    different = [
        ocid for ocid, releases in by_ocid.items() if ours(releases) != reference(releases)
    ]
    assert different == []
    # The comparison is not vacuous: awards and tenders survive the cut.
    with_awards = {release["ocid"] for release in sample_releases() if release.get("awards")}
    assert len(with_awards) > 30
    assert {ocid for ocid, rs in by_ocid.items() if "awards" in ours(rs)} == with_awards
    assert all("tender" in ours(releases) for releases in by_ocid.values())


def test_an_award_update_replaces_the_award_value():
    releases = releases_of(OAKHEART_OCID)
    assert [release["tag"] for release in releases] == [["awardUpdate"], ["award"]]
    result = ours(releases)
    assert result["awards"][0]["value"] == {"amount": 4050, "currency": "GBP"}
    assert result["tender"]["title"] == "ITT for projects 10042837, 10045189, 10044843"
    # Fields we do not use are not kept.
    assert "deliveryAddresses" not in json.dumps(result)
    assert "date" not in result["awards"][0]
    assert result["tender"]["items"] == [{"id": "1"}]


def test_whole_list_merge_is_what_the_schema_says_within_fields():
    def inside_fields(path):
        fields = FIELDS
        for part in path:
            if fields is None:
                return True
            if part not in fields:
                return False
            fields = fields[part]
        return True

    rules = get_merge_rules(str(SCHEMA))
    from_schema = {
        path for path, rule in rules.items() if rule == "wholeListMerge" and inside_fields(path)
    }
    assert from_schema == WHOLE_LIST_MERGE
    assert not any(rule == "omitWhenMerged" and inside_fields(path) for path, rule in rules.items())


# Generated releases ---------------------------------------------------------------------

DATES = [f"2024-01-{day:02}T{hour:02}:00:00Z" for day in (1, 2, 3) for hour in (0, 12)]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["", "a", "b", "Ω"])
)


def obj(**fields):
    return st.fixed_dictionaries({}, optional=fields)


def release_lists(*, wrong_shapes: bool):
    """Lists of releases of one process with the fields we keep and some we do not, nulls,
    empty objects and arrays, arrays of strings and items with and without ids; with
    `wrong_shapes`, also values where objects are expected and the reverse."""
    # What may stand where an object or array is expected.
    odd = st.one_of(st.none(), st.just({}), st.just([]))
    if wrong_shapes:
        odd = st.one_of(odd, st.lists(st.sampled_from(["x", "y"])), scalars)

    def array(item, ids=("1", "2", 3)):
        with_id = st.builds(lambda i, rest: {"id": i, **rest}, st.sampled_from(ids), item)
        return st.one_of(st.lists(st.one_of(with_id, item), max_size=3), odd)

    # Ids never spell one value two ways (1 and "1"), where ocdsmerge keeps the first spelling
    # seen and we the newest.
    code = st.sampled_from(["72000000", "48", 7, None])
    classification = st.one_of(obj(scheme=st.sampled_from(["CPV", "X"]), id=code), odd)
    value = st.one_of(obj(amount=scalars, currency=scalars), odd)
    period = st.one_of(obj(startDate=scalars, endDate=scalars), odd)
    documents = array(obj(documentType=scalars, url=scalars, title=scalars))
    release = st.fixed_dictionaries(
        {"ocid": st.just("ocds-gen-1"), "date": st.sampled_from(DATES)},
        optional={
            "id": st.sampled_from(["r1", "r2"]),
            "language": scalars,
            "planning": obj(budget=obj(amount=scalars)),
            "buyer": st.one_of(obj(id=code, name=scalars), odd),
            "parties": array(
                obj(
                    name=scalars,
                    roles=st.one_of(st.lists(st.sampled_from(["buyer", "supplier"])), odd),
                    details=st.one_of(obj(scale=scalars), odd),
                    identifier=st.one_of(obj(scheme=scalars, id=code), odd),
                )
            ),
            "tender": st.one_of(
                obj(
                    title=scalars,
                    status=scalars,
                    value=value,
                    classification=classification,
                    additionalClassifications=array(obj(scheme=scalars, id=code)),
                    items=array(
                        obj(
                            classification=classification,
                            additionalClassifications=st.one_of(
                                st.lists(obj(scheme=scalars, id=code), max_size=2), odd
                            ),
                            quantity=scalars,
                        )
                    ),
                    contractPeriod=period,
                    documents=documents,
                ),
                odd,
            ),
            "awards": array(
                obj(
                    title=scalars,
                    status=scalars,
                    value=value,
                    suppliers=array(obj(name=scalars)),
                    contractPeriod=period,
                    documents=documents,
                    date=scalars,
                )
            ),
        },
    )
    return st.lists(release, min_size=1, max_size=5)


def mixes_values_and_objects(value) -> bool:
    if isinstance(value, dict):
        return any(mixes_values_and_objects(item) for item in value.values())
    if isinstance(value, list):
        kinds = {isinstance(item, dict) for item in value}
        return len(kinds) > 1 or any(mixes_values_and_objects(item) for item in value)
    return False


@settings(max_examples=300, deadline=None)
@given(release_lists(wrong_shapes=True))
def test_generated_releases_compile_as_ocdsmerge_does(releases):
    # Items without ids are told apart by their release's id and date, so that a release read
    # twice is the same release; ocdsmerge tells apart two such releases that share both.
    keys = [(release.get("id"), release["date"]) for release in releases]
    assume(len(set(keys)) == len(keys))
    try:
        expected = reference(releases, cut_first=True)
    except InconsistentTypeError:
        with pytest.raises(CompileError, match="its releases disagree on whether /"):
            ours(releases)
        return
    state = {}
    merge(state, releases)
    if mixes_values_and_objects(expected):
        # One release's array of values and another's of objects: ocdsmerge appends the
        # objects to the values; we say the releases disagree.
        with pytest.raises(CompileError, match="its releases disagree on whether /"):
            compiled(state)
        return
    assert compiled(state) == expected
    # Compiling leaves the state as it was.
    assert compiled(state) == expected


def _items_sorted(value):
    """The compiled release with each list's items in a canonical order."""
    if isinstance(value, dict):
        return {name: _items_sorted(item) for name, item in value.items()}
    if isinstance(value, list):
        return sorted((_items_sorted(item) for item in value), key=repr)
    return value


@settings(max_examples=200, deadline=None)
@given(release_lists(wrong_shapes=False), st.randoms(use_true_random=False), st.integers(0, 5))
def test_order_and_number_of_imports_do_not_change_the_values(releases, rnd, split):
    dates = [release["date"] for release in releases]
    assume(len(set(dates)) == len(dates))
    expected = ours(releases)
    shuffled = list(releases)
    rnd.shuffle(shuffled)
    assert ours(shuffled) == expected
    # In two imports, each stored as JSON: the values agree (list order is checked below).
    assert _items_sorted(ours(shuffled[:split], shuffled[split:])) == _items_sorted(expected)


def test_list_order_does_not_depend_on_the_order_of_imports():
    # The first supplier of an award becomes the contract's vendor, so which comes first must
    # not depend on which release was imported first: ocdsmerge puts them in the order the
    # releases were published.
    older = {
        "ocid": "x",
        "date": "2024-01-01T00:00:00Z",
        "awards": [{"id": "1", "suppliers": [{"id": "s1", "name": "One"}]}],
    }
    newer = {
        "ocid": "x",
        "date": "2024-02-01T00:00:00Z",
        "awards": [
            {"id": "1", "suppliers": [{"id": "s2", "name": "Two"}, {"id": "s1", "name": "One"}]}
        ],
    }
    one_import = ours([older, newer])
    assert one_import == reference([older, newer])
    assert one_import["awards"][0]["suppliers"][0]["name"] == "One"
    assert ours([newer], [older]) == one_import


# Dates, staleness and change ------------------------------------------------------------


def base(date, **fields):
    return {"ocid": "ocds-x", "date": date, **fields}


def test_an_older_release_merged_after_a_newer_one_never_overwrites():
    newer = base("2024-03-01T00:00:00Z", tender={"title": "New", "status": "active"})
    older = base(
        "2024-01-01T00:00:00Z", tender={"title": "Old", "status": "planned", "value": {"amount": 5}}
    )
    state = {}
    assert merge(state, [newer]) is True
    assert merge(state, [older]) is True  # it adds the value nobody newer gave
    assert compiled(state) == {
        "ocid": "ocds-x",
        "tender": {"title": "New", "status": "active", "value": {"amount": 5}},
    }


def test_a_newer_null_removes_a_field_and_an_older_value_does_not_bring_it_back():
    state = {}
    merge(state, [base("2024-01-01T00:00:00Z", tender={"title": "T", "status": "active"})])
    merge(state, [base("2024-02-01T00:00:00Z", tender={"status": None})])
    assert compiled(state) == {"ocid": "ocds-x", "tender": {"title": "T"}}
    merge(state, [base("2024-01-15T00:00:00Z", tender={"status": "planned"})])
    assert compiled(state) == {"ocid": "ocds-x", "tender": {"title": "T"}}


def test_dates_are_compared_as_instants():
    # 10:00 in summer time is 09:00 UTC, before 09:30 UTC.
    early = base("2024-06-01T10:00:00+01:00", tender={"title": "Early"})
    late = base("2024-06-01T09:30:00Z", tender={"title": "Late"})
    assert ours([late, early])["tender"]["title"] == "Late"
    assert ours([late], [early])["tender"]["title"] == "Late"


def test_of_two_releases_with_one_date_the_later_in_the_file_wins():
    first = base("2024-01-01T00:00:00Z", tender={"title": "First"})
    second = base("2024-01-01T00:00:00Z", tender={"title": "Second"})
    assert ours([first, second])["tender"]["title"] == "Second"
    assert reference([first, second])["tender"]["title"] == "Second"


def test_merge_says_whether_anything_changed():
    releases = releases_of(OAKHEART_OCID)
    state = {}
    assert merge(state, releases) is True
    saved = from_json(json.loads(json.dumps(to_json(state))))
    assert merge(state, releases) is False
    assert merge(saved, list(reversed(releases))) is False
    assert merge(saved, releases[:1]) is False
    # A newer release that says the same thing still changes the dates held.
    same_again = {**releases[0], "date": "2022-10-21T09:00:00+01:00"}
    assert merge(saved, [same_again]) is True
    # A value of another type is a change, even where Python calls them equal.
    state = {}
    merge(state, [base("2024-01-01T00:00:00Z", tender={"value": {"amount": 1}})])
    assert merge(state, [base("2024-01-01T00:00:00Z", tender={"value": {"amount": 1.0}})])
    assert merge(state, [base("2024-01-01T00:00:00Z", tender={"value": {"amount": True}})])


def test_items_without_ids_are_the_same_items_when_read_again():
    release = base(
        "2024-01-01T00:00:00Z",
        awards=[{"title": "A"}, {"title": "B"}],
        tender={"items": [{"classification": {"id": "72000000"}}]},
    )
    state = {}
    merge(state, [release])
    assert merge(state, [json.loads(json.dumps(release))]) is False
    assert compiled(state)["awards"] == [{"title": "A"}, {"title": "B"}]
    # Another release's id-less items are other items, as in ocdsmerge.
    other = {**release, "date": "2024-02-01T00:00:00Z", "awards": [{"title": "C"}]}
    assert merge(state, [other]) is True
    assert compiled(state)["awards"] == [{"title": "A"}, {"title": "B"}, {"title": "C"}]
    assert compiled(state)["awards"] == reference([release, other])["awards"]


def test_flatten_keeps_only_fields_and_whole_lists_whole():
    release = base(
        "2024-01-01T00:00:00Z",
        planning={"budget": {"amount": 1}},
        parties=[{"id": "p1", "roles": ["buyer"], "address": {"locality": "London"}}],
        tender={"items": [{"id": "1", "additionalClassifications": [{"id": "A", "x": 1}]}]},
    )
    assert flatten(release, key="k", number=4) == {
        ("ocid",): "ocds-x",
        ("parties", ("=", "p1"), ORDER): [4, 0],
        ("tender", "items", ("=", "1"), ORDER): [4, 0],
        ("parties", ("=", "p1"), "id"): "p1",
        ("parties", ("=", "p1"), "roles"): ["buyer"],
        ("tender", "items", ("=", "1"), "id"): "1",
        ("tender", "items", ("=", "1"), "additionalClassifications"): [{"id": "A", "x": 1}],
    }


def test_releases_that_disagree_on_a_shape_cannot_be_compiled():
    state = {}
    merge(state, [base("2024-01-01T00:00:00Z", tender="closed")])
    merge(state, [base("2024-02-01T00:00:00Z", tender={"title": "T"})])
    with pytest.raises(CompileError, match=r"^its releases disagree on whether /tender is a list"):
        compiled(state)
    state = {}
    merge(state, [base("2024-01-01T00:00:00Z", awards={"title": "T"})])
    merge(state, [base("2024-02-01T00:00:00Z", awards=[{"id": "1", "title": "T"}])])
    with pytest.raises(CompileError, match="/awards"):
        compiled(state)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2022-10-21T16:10:27+01:00", "2022-10-21T15:10:27+00:00"),
        ("2022-10-21T15:10:27Z", "2022-10-21T15:10:27+00:00"),
        ("2022-10-21T15:10:27", "2022-10-21T15:10:27+00:00"),  # no zone: taken as UTC
        ("2022-10-21", "2022-10-21T00:00:00+00:00"),
    ],
)
def test_release_date_is_a_sortable_utc_string(date, expected):
    assert release_date({"date": date}) == expected


@pytest.mark.parametrize(
    ("release", "message"),
    [
        ({}, "it has no date"),
        ({"date": None}, "it has no date"),
        ({"date": 20221021}, "its date is not text"),
        ({"date": ["2022-10-21"]}, "its date is not text"),
        ({"date": "21/10/2022"}, "its date “21/10/2022” is not a date and time"),
        ({"date": "x" * 100}, "its date “" + "x" * 40 + "” is not a date and time"),
    ],
)
def test_release_date_errors_say_why(release, message):
    with pytest.raises(CompileError) as caught:
        release_date(release)
    assert str(caught.value) == message


def test_merge_refuses_a_release_without_a_date():
    with pytest.raises(CompileError, match="it has no date"):
        merge({}, [base("2024-01-01T00:00:00Z"), {"ocid": "ocds-x"}])


def test_merging_in_random_order_matches_on_the_samples():
    # A process's releases in every order and split, on the sample with most releases.
    by_ocid = collections.Counter(release["ocid"] for release in sample_releases())
    ocid, count = by_ocid.most_common(1)[0]
    assert count >= 2
    releases = releases_of(ocid)
    expected = ours(releases)
    rnd = random.Random(5)
    for _ in range(20):
        shuffled = rnd.sample(releases, len(releases))
        assert _items_sorted(ours(*([release] for release in shuffled))) == _items_sorted(expected)
