"""Text folding shared by the matchers that recognise names in imported data (suppliers,
buyers): names that differ only in case, accents, "&" or punctuation fold to the same words."""

from __future__ import annotations

import re
import unicodedata

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
