"""Finding existing proposals and projects that look like a new idea, so the consortium does
not do the same thing twice.

TF-IDF cosine similarity over words: lower-cased, English stop words removed, and each word
cut back to a rough stem ("councils" and "council", "sharing" and "shared" meet), so a
rephrased title still matches. The document frequencies come from the corpus and the new
text together; idf is the smoothed ``ln((1 + n) / (1 + df)) + 1``, so a word in every
document still counts a little.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

WORD = re.compile(r"[a-z0-9]+")

# A common English stop list (the words that say nothing about what a project does).
STOP_WORDS = frozenset(
    [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
        "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
        "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
        "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
        "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not",
        "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out",
        "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the",
        "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what",
        "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
        "your", "yours", "yourself", "yourselves", "etc", "may", "might", "must", "shall", "us",
        "via", "within", "without",
    ]
)  # fmt: skip

# Longest first, so "ations" is cut before "s". A stem keeps at least three letters.
SUFFIXES = (
    "ational", "ations", "ation", "ative", "ities", "ingly", "ments", "ives", "ment", "ness",
    "ings", "ing", "ies", "ied", "ity", "ive", "ers", "als", "ed", "er", "al", "ly", "es", "e",
    "s",
)  # fmt: skip
MIN_STEM = 3


def stem(word: str) -> str:
    """A light stem: the longest listed suffix removed, "ies"/"ied" turned to "y", and a
    doubled last letter made single ("mapped" → "map"); numbers, and words ending "ss",
    "is" or "us" ("process", "analysis", "status"), kept."""
    if word.endswith(("ss", "is", "us")) or word.isdigit():
        return word
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if len(base) > MIN_STEM and base[-1] == base[-2] and base[-1] not in "lsz":
                return base[:-1]
            return base
    return word


def terms(text: str) -> list[str]:
    """The stems of the words in ``text`` that are not stop words."""
    return [stem(word) for word in WORD.findall(text.lower()) if word not in STOP_WORDS]


def _weights(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {term: count * idf[term] for term, count in counts.items()}
    norm = math.sqrt(math.fsum(weight * weight for weight in vector.values()))
    return {term: weight / norm for term, weight in vector.items()} if norm else {}


def similar(
    text: str, corpus: Iterable[tuple[str, str]], *, limit: int = 5, threshold: float = 0.2
) -> list[tuple[str, float]]:
    """The keys of the ``(key, text)`` documents in ``corpus`` most like ``text``, with their
    cosine similarity rounded to 3 decimals: at most ``limit`` of them, none below
    ``threshold``, best first (equal scores by key)."""
    query = Counter(terms(text))
    if not query or limit < 1:
        return []
    documents = [(key, Counter(terms(body))) for key, body in corpus]
    frequency: Counter[str] = Counter(query.keys())
    for _, counts in documents:
        frequency.update(counts.keys())
    size = len(documents) + 1
    idf = {term: math.log((1 + size) / (1 + df)) + 1 for term, df in frequency.items()}
    wanted = _weights(query, idf)
    scored = []
    for key, counts in documents:
        vector = _weights(counts, idf)
        score = math.fsum(
            weight * vector[term] for term, weight in wanted.items() if term in vector
        )
        score = round(score, 3)
        if score >= threshold and score > 0:
            scored.append((key, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
