"""Originality: how much of an entry's text is found in another entry or a stored document.

Similarity of entry A to text B is the share of A's 5-word sequences (shingles) that also occur
in B: `|S(A) ∩ S(B)| / |S(A)|` (containment). It reads as "87% of this entry's 5-word runs
appear in entry #3", which a committee can explain to an entrant, and unlike Jaccard it does
not drop when a copier pads a copied text with paragraphs of their own.

Text is folded (case, diacritics) and reduced to letter/digit tokens before shingling, so
punctuation and formatting changes do not hide a copy. Stored documents are searched through an
inverted index of shingle hashes, so only documents sharing at least one shingle are scored.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from .text import fold

SHINGLE_WORDS = 5
_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, *, k: int = SHINGLE_WORDS) -> frozenset[int]:
    """64-bit hashes of the k-word shingles of `text` (the whole text when shorter)."""
    tokens = _TOKEN.findall(fold(text))
    if not tokens:
        return frozenset()
    if len(tokens) < k:
        return frozenset({_hash(" ".join(tokens))})
    return frozenset(_hash(" ".join(tokens[i : i + k])) for i in range(len(tokens) - k + 1))


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of `a` found in `b` (0 when `a` is empty)."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


@dataclass(frozen=True)
class StoredDoc:
    """A document from the corpus to compare entries with."""

    url: str
    text: str
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Match:
    url: str
    score: float
    title: str | None = None
    published: datetime | None = None


class CorpusIndex:
    """Inverted index of shingle hashes over stored documents."""

    def __init__(self, docs: Iterable[StoredDoc] = ()) -> None:
        self.docs: list[StoredDoc] = []
        self._postings: dict[int, list[int]] = {}
        for doc in docs:
            self.add(doc)

    def __len__(self) -> int:
        return len(self.docs)

    def add(self, doc: StoredDoc, hashes: frozenset[int] | None = None) -> int:
        doc_id = len(self.docs)
        self.docs.append(doc)
        for h in shingles(doc.text) if hashes is None else hashes:
            self._postings.setdefault(h, []).append(doc_id)
        return doc_id

    def overlaps(self, text_shingles: frozenset[int]) -> Counter[int]:
        """Shared shingle count per document id, for documents sharing at least one."""
        counts: Counter[int] = Counter()
        for h in text_shingles:
            for doc_id in self._postings.get(h, ()):
                counts[doc_id] += 1
        return counts

    def best(
        self, text_shingles: frozenset[int], *, exclude: set[str] = frozenset(), limit: int = 3
    ) -> list[Match]:
        """The most similar stored documents to a text, best first."""
        if not text_shingles:
            return []
        counts = self.overlaps(text_shingles)
        out = []
        for doc_id, common in counts.most_common():
            doc = self.docs[doc_id]
            if doc.url in exclude:
                continue
            out.append(Match(doc.url, common / len(text_shingles), doc.title, doc.published))
            if len(out) >= limit:
                break
        return out


def load_store_docs(db: object) -> list[StoredDoc]:
    """Posts and articles (not comments, not known duplicates) from an open store `Database`."""
    from store import repo

    docs = []
    with db.read() as session:  # type: ignore[attr-defined]
        for doc in repo.iter_documents(session):
            if doc.kind not in ("post", "article") or doc.duplicate_of or not doc.text:
                continue
            published = doc.published_at.replace(tzinfo=UTC) if doc.published_at else None
            docs.append(StoredDoc(url=doc.url, text=doc.text, title=doc.title, published=published))
    return docs
