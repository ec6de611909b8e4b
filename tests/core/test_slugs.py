from loti.core.slugs import unique_slug
from loti.members.models import Organisation
from tests.factories import OrganisationFactory


def test_a_taken_slug_gets_the_next_free_number(db):
    OrganisationFactory(slug="barnet")
    OrganisationFactory(slug="barnet-2")

    assert unique_slug(Organisation, "Barnet") == "barnet-3"
    assert unique_slug(Organisation, "Camden") == "camden"


def test_a_record_keeps_its_own_slug_and_text_without_letters_falls_back(db):
    barnet = OrganisationFactory(slug="barnet")

    assert unique_slug(Organisation, "Barnet", exclude_pk=barnet.pk) == "barnet"
    assert unique_slug(Organisation, "£££", fallback="organisation") == "organisation"


def test_a_long_name_leaves_room_in_the_field_for_the_number(db):
    slug = unique_slug(Organisation, "word " * 60)

    # Cut at a word's end, the slug does not end in a hyphen.
    assert slug == "-".join(["word"] * 18)
    assert len(slug) <= Organisation._meta.get_field("slug").max_length - 10
