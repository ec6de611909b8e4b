"""Text shared by several apps: folding for the matchers that recognise names in imported data
(suppliers, buyers), where names that differ only in case, accents, "&" or punctuation fold
to the same words; and lists written as a sentence writes them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Apostrophes and full stops join what they sit in ("Sainsbury's", "I.B.M.", "L.B.", "Ltd.");
# any other punctuation separates words ("Capita-IT", "Bull/Atos").
JOINING = re.compile(r"['’ʼ`.]")


def fold_words(text: str) -> list[str]:
    """The words of `text` in a comparable form: "The Civica Group Ltd." is
    ["the", "civica", "group", "ltd"], "Ōxford & Co" is ["oxford", "and", "co"]."""
    # NFKD before casefolding splits accents off and turns compatibility forms (ligatures,
    # full-width letters) into plain ones; NFKD again after, because casefolding can produce
    # characters that decompose further.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("&", " and ")
    text = JOINING.sub("", text)
    return "".join(ch if ch.isalnum() else " " for ch in text).split()


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """["a", "b", "c"] as "a, b and c" (no comma before the last word, as GOV.UK style has it);
    `conjunction` "or" gives "a, b or c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
