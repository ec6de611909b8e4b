import pytest

from loti.core.text import join_words


@pytest.mark.parametrize(
    ("words", "conjunction", "written"),
    [
        ([], "and", ""),
        (["a"], "and", "a"),
        (["a", "b"], "and", "a and b"),
        (["a", "b", "c"], "and", "a, b and c"),
        (['"x"', '"y"', '"z"'], "or", '"x", "y" or "z"'),
    ],
)
def test_a_list_is_written_as_a_sentence_writes_it(words, conjunction, written):
    assert join_words(words, conjunction) == written
