"""Exact and near-duplicate detection, incremental, with stable group roots.

Researchers want one hit per story with its copies counted; judges want copied contest
entries found. Every stored document gets `duplicate_of`: the key (canonical URL) of the
earliest-published member of its group, or None when it is the root or unique.

How a new document is checked (never against every stored document):
1. exact: sha256 of `normalise_text` looked up in a dict, for texts long and specific enough
   that a word-for-word repeat means copying (spam comments, scraped posts);
2. near: MinHash over 3-shingles of the content words (after `strip_boilerplate` and the
   function-word list) -> LSH band keys -> candidate slots from `BandIndex` -> verified
   on the full signature. A candidate
   matches when the estimated Jaccard similarity reaches `near_jaccard`, or when the
   shorter text is mostly contained in the longer one (a release under a new first
   paragraph) and the two are of comparable length.
Short or generic texts ("Terima kasih infonya", "mantap gan") are never matched: thanking
an author is not copying. Thresholds come from the labelled fixture set in
tests/pipelines/fixtures/dedup (see its README and the precision/recall test).

Groups: the new document joins the group of its best match. If it was published earlier
than that group's root (a late-crawled original), it becomes the root and the verdict's
`repoint` lists the members whose `duplicate_of` must change. Order is by publication
time (UTC), then first-seen time, then key, so the same input gives the same groups:
`from_records` sorts before matching, or restores the groups the store already holds.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import numpy as np

from pipelines.dedup_index import BandIndex
from pipelines.dedup_minhash import MinHasher, Signature
from pipelines.dedup_text import (
    STOPWORDS,
    content_hash,
    informative_count,
    normalise_text,
    strip_boilerplate,
    tokens,
)

__all__ = [
    "DedupConfig",
    "DedupMatch",
    "DedupRecord",
    "DedupVerdict",
    "DuplicateDetector",
    "content_hash",
    "normalise_text",
    "strip_boilerplate",
]

OrderKey = tuple[float, float, str]


@dataclass
class DedupRecord:
    """One document as the detector sees it; `key` is its canonical URL.

    Matching is kind-blind on purpose: a blog post may copy an article, a comment may
    paste a whole release. Naive datetimes are taken as UTC.
    """

    key: str
    kind: str
    text: str
    published_utc: datetime | None
    first_seen: datetime | None
    signature: bytes | None = None  # as returned in a verdict for this text: skips re-hashing
    duplicate_of: str | None = None  # as stored; `from_records` restores groups from it


@dataclass
class DedupVerdict:
    """Outcome of `check_and_add`.

    `duplicate_of` is the group root's key, or None when the document is unique or is now
    the root itself. `method` is "exact", "near" or "" (no match); `similarity` is 1.0 for
    exact, else the estimated shingle Jaccard (or containment, when that is what matched).
    `repoint` maps other stored documents to their new `duplicate_of`; a value of None
    means "this one is now a root: clear its duplicate_of". `matched` is the member that
    was actually similar (it may differ from the root).
    """

    duplicate_of: str | None
    similarity: float
    method: str
    signature: bytes
    repoint: dict[str, str | None] = field(default_factory=dict)
    matched: str | None = None

    @property
    def content_hash(self) -> str:
        """`content_hash(text)`, read from the signature (the text is not hashed twice)."""
        return Signature.digest_of(self.signature).hex()


@dataclass(frozen=True)
class DedupMatch:
    key: str
    similarity: float
    method: str


@dataclass(frozen=True)
class DedupConfig:
    """Tunables. Defaults chosen on the labelled fixtures (see module docstring)."""

    num_perm: int = 128
    shingle: int = 3
    bands: int = 64
    rows: int = 2
    near_jaccard: float = 0.2
    near_containment: float = 0.6
    containment_max_ratio: float = 3.0
    min_exact_tokens: int = 8
    min_exact_informative: int = 4
    min_near_tokens: int = 30
    min_near_informative: int = 12

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must not exceed num_perm")


class DuplicateDetector:
    """Incremental exact + near-duplicate detection (MinHash LSH); see the module docstring."""

    def __init__(self, config: DedupConfig | None = None) -> None:
        self.config = config or DedupConfig()
        cfg = self.config
        self._hasher = MinHasher(num_perm=cfg.num_perm, shingle=cfg.shingle)
        self._index = BandIndex(bands=cfg.bands, rows=cfg.rows)
        self._sigs = np.zeros((1024, cfg.num_perm), dtype=np.uint32)
        self._sizes = np.zeros(1024, dtype=np.uint32)
        self._near_ok = np.zeros(1024, dtype=bool)
        self._alive = np.zeros(1024, dtype=bool)
        self._indexed = np.zeros(1024, dtype=bool)  # slot's band keys are in the LSH index
        self._slot_key: list[str] = []
        self._slot_digest: list[bytes] = []
        self._slot_of: dict[str, int] = {}
        self._order: dict[str, OrderKey] = {}
        self._exact: dict[bytes, list[int]] = {}
        self._root_of: dict[str, str] = {}  # non-root member -> root
        self._members: dict[str, list[str]] = {}  # root -> members (without the root)
        self._matched: dict[str, tuple[str, float, str]] = {}  # key -> (method, sim, matched)

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_records(
        cls,
        rows: Iterable[DedupRecord],
        *,
        trust_stored: bool = True,
        config: DedupConfig | None = None,
    ) -> DuplicateDetector:
        """Rebuild the detector at start-up from the stored documents.

        With `trust_stored` and at least one row carrying `duplicate_of`, the stored groups
        are restored as they are (a restart changes nothing). Otherwise the rows are matched
        in publication order, which gives the same groups whatever order the rows came in.
        A key given twice keeps its last row.
        """
        det = cls(config)
        prepared: dict[str, tuple[OrderKey, Signature, str | None]] = {}
        for rec in rows:
            prepared[rec.key] = (_order_key(rec), det._signature_for(rec), rec.duplicate_of)
        items = sorted(prepared.items(), key=lambda item: item[1][0])
        restore = trust_stored and any(dup for _, (_, _, dup) in items)
        for key, (order, sig, _dup) in items:
            if restore:
                det._insert(key, sig, order)
            else:
                det._check_new(key, sig, order, {})
        if restore:
            det._restore_groups({key: dup for key, (_, _, dup) in items if dup and dup != key})
        return det

    def _restore_groups(self, stored: dict[str, str]) -> None:
        for key, target in stored.items():
            root, seen = target, {key}
            while root in stored and root not in seen:  # resolve chains a -> b -> c
                seen.add(root)
                root = stored[root]
            if root in seen or root not in self._slot_of:
                continue
            self._root_of[key] = root
            self._members.setdefault(root, []).append(key)
            a, b = self._slot_of[key], self._slot_of[root]
            if self._slot_digest[a] == self._slot_digest[b]:
                self._matched[key] = ("exact", 1.0, root)
            else:
                sim = float(np.mean(self._sigs[a] == self._sigs[b]))
                self._matched[key] = ("near", round(sim, 4), root)

    # ------------------------------------------------------------------ public API

    def signature_bytes(self, text: str) -> bytes:
        """What the store persists per document (pass it back in `DedupRecord.signature`)."""
        return self._prepare(text).to_bytes()

    def check_and_add(self, rec: DedupRecord) -> DedupVerdict:
        """Check one document against the index, add it, and say what it duplicates.

        Re-checking a stored key with the same text returns its current state and changes
        nothing (crawls are re-run); with a changed text the old version is removed first.
        """
        sig = self._signature_for(rec)
        repoint: dict[str, str | None] = {}
        slot = self._slot_of.get(rec.key)
        if slot is not None:
            if self._slot_digest[slot] == sig.digest:
                return self._current_verdict(rec.key, sig)
            repoint.update(self.remove(rec.key))
        return self._check_new(rec.key, sig, _order_key(rec), repoint)

    def similar(self, text: str, *, limit: int = 10) -> list[DedupMatch]:
        """Stored documents that `text` duplicates, best first; adds nothing (for judges)."""
        sig = self._prepare(text)
        return self._matches(sig, None, self._band_keys(sig))[:limit]

    def remove(self, key: str) -> dict[str, str | None]:
        """Forget a document; returns the repointing its group needs (see DedupVerdict)."""
        slot = self._slot_of.pop(key, None)
        if slot is None:
            return {}
        self._alive[slot] = False
        digest = self._slot_digest[slot]
        slots = self._exact.get(digest)
        if slots and slot in slots:
            slots.remove(slot)
            if not slots:
                del self._exact[digest]
            elif self._indexed[slot]:  # hand the LSH entry over to a surviving twin
                twin = slots[0]
                self._index.add(twin, self._index.keys(self._sigs[twin]))
                self._indexed[twin] = True
        self._matched.pop(key, None)
        self._order.pop(key, None)
        repoint: dict[str, str | None] = {}
        if key in self._root_of:
            root = self._root_of.pop(key)
            members = self._members[root]
            members.remove(key)
            if not members:
                del self._members[root]
        elif key in self._members:
            members = self._members.pop(key)
            new_root = min(members, key=self._order.__getitem__)
            repoint[new_root] = None
            del self._root_of[new_root]
            rest = [m for m in members if m != new_root]
            for member in rest:
                self._root_of[member] = new_root
                repoint[member] = new_root
            if rest:
                self._members[new_root] = rest
        return repoint

    def root_of(self, key: str) -> str:
        return self._root_of.get(key, key)

    def duplicate_of(self, key: str) -> str | None:
        root = self._root_of.get(key)
        return root if root != key else None

    def groups(self) -> dict[str, list[str]]:
        """Root key -> its members (root excluded), both in publication order."""
        order = self._order
        roots = sorted(self._members, key=order.__getitem__)
        return {r: sorted(self._members[r], key=order.__getitem__) for r in roots}

    def stats(self) -> dict[str, int]:
        exact = sum(1 for m, _, _ in self._matched.values() if m == "exact")
        return {
            "documents": len(self._slot_of),
            "groups": len(self._members),
            "duplicates": len(self._root_of),
            "exact_matches": exact,
            "near_matches": len(self._matched) - exact,
            "index_bytes": self._index.nbytes() + self._sigs.nbytes,
        }

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def __iter__(self) -> Iterator[str]:
        return iter(self._slot_of)

    # ------------------------------------------------------------------ internals

    def _signature_for(self, rec: DedupRecord) -> Signature:
        if rec.signature:
            sig = Signature.from_bytes(rec.signature, self.config.num_perm, self.config.shingle)
            if sig is not None:
                return sig
        return self._prepare(rec.text)

    def _prepare(self, text: str) -> Signature:
        cfg = self.config
        text = text or ""
        words = tokens(text)
        digest = _sha256(" ".join(words))
        # The informative-word counts only have to reach small minimums: a prefix will do.
        exact_ok = (
            len(words) >= cfg.min_exact_tokens
            and informative_count(words[:200]) >= cfg.min_exact_informative
        )
        stripped = strip_boilerplate(text)
        body = words if stripped == text else tokens(stripped)
        near_ok = (
            len(body) >= cfg.min_near_tokens
            and informative_count(body[:200]) >= cfg.min_near_informative
        )
        if near_ok:
            shingles = self._hasher.shingles([w for w in body if w not in STOPWORDS])
            minhash = self._hasher.minhash(shingles)
            n_shingles = len(shingles)
        else:  # never compared: skip the hashing (most comments end here)
            minhash = np.full(cfg.num_perm, 0xFFFFFFFF, dtype=np.uint32)
            n_shingles = 0
        return Signature(digest, minhash, n_shingles, exact_ok, near_ok, cfg.shingle)

    def _check_new(
        self, key: str, sig: Signature, order: OrderKey, repoint: dict[str, str | None]
    ) -> DedupVerdict:
        keys = self._band_keys(sig)
        matches = self._matches(sig, 1, keys)
        self._insert(key, sig, order, keys)
        if not matches:
            return DedupVerdict(None, 0.0, "", sig.to_bytes(), repoint)
        best = matches[0]
        root = self.root_of(best.key)
        self._matched[key] = (best.method, best.similarity, best.key)
        if order < self._order[root]:
            members = [*self._members.pop(root, []), root]
            for member in members:
                self._root_of[member] = key
                repoint[member] = key
            self._members[key] = members
            return DedupVerdict(
                None, best.similarity, best.method, sig.to_bytes(), repoint, best.key
            )
        self._root_of[key] = root
        self._members.setdefault(root, []).append(key)
        return DedupVerdict(root, best.similarity, best.method, sig.to_bytes(), repoint, best.key)

    def _current_verdict(self, key: str, sig: Signature) -> DedupVerdict:
        method, sim, matched = self._matched.get(key, ("", 0.0, None))
        return DedupVerdict(self.duplicate_of(key), sim, method, sig.to_bytes(), {}, matched)

    def _band_keys(self, sig: Signature) -> np.ndarray | None:
        return self._index.keys(sig.minhash) if sig.near_ok else None

    def _matches(
        self, sig: Signature, limit: int | None, keys: np.ndarray | None
    ) -> list[DedupMatch]:
        found: list[tuple[float, OrderKey, DedupMatch]] = []
        if sig.exact_ok:
            slots = self._exact.get(sig.digest, ())
            # Exact copies share one group: the first is enough to place a new one (a spam
            # wave of 10k identical comments must not make each check O(k)).
            for slot in slots if limit is None else slots[:1]:
                key = self._slot_key[slot]
                found.append((2.0, self._order[key], DedupMatch(key, 1.0, "exact")))
        if keys is not None and (limit is None or not found):
            found.extend(self._near_matches(sig, keys, {m.key for _, _, m in found}))
        found.sort(key=lambda item: (-item[0], item[1]))
        matches = [m for _, _, m in found]
        return matches if limit is None else matches[:limit]

    def _near_matches(
        self, sig: Signature, keys: np.ndarray, skip: set[str]
    ) -> list[tuple[float, OrderKey, DedupMatch]]:
        cfg = self.config
        cands = self._index.query(keys).astype(np.intp)
        if len(cands) == 0:
            return []
        cands = cands[self._alive[cands] & self._near_ok[cands]]
        if len(cands) == 0:
            return []
        jac = (self._sigs[cands] == sig.minhash).mean(axis=1)
        mine = float(max(sig.n_shingles, 1))
        theirs = np.maximum(self._sizes[cands].astype(np.float64), 1.0)
        shared = jac * (mine + theirs) / (1.0 + jac)
        small = np.minimum(mine, theirs)
        contain = np.minimum(shared / small, 1.0)
        ratio = np.maximum(mine, theirs) / small
        by_contain = (contain >= cfg.near_containment) & (ratio <= cfg.containment_max_ratio)
        score = np.where(jac >= cfg.near_jaccard, jac, np.where(by_contain, contain, 0.0))
        hits = score > 0.0  # most candidates are same-topic pairs that fail the check
        out = []
        for slot, value in zip(cands[hits].tolist(), score[hits].tolist(), strict=True):
            key = self._slot_key[slot]
            if key in skip:
                continue
            out.append((value, self._order[key], DedupMatch(key, round(value, 4), "near")))
        return out

    def _insert(
        self, key: str, sig: Signature, order: OrderKey, keys: np.ndarray | None = None
    ) -> int:
        slot = len(self._slot_key)
        if slot >= len(self._alive):
            self._grow()
        self._sigs[slot] = sig.minhash
        self._sizes[slot] = sig.n_shingles
        self._near_ok[slot] = sig.near_ok
        self._alive[slot] = True
        self._slot_key.append(key)
        self._slot_digest.append(sig.digest)
        self._slot_of[key] = slot
        self._order[key] = order
        twins = self._exact.setdefault(sig.digest, []) if sig.exact_ok else []
        if sig.near_ok and not twins:  # an exact twin's identical band keys are indexed already
            self._index.add(slot, keys if keys is not None else self._index.keys(sig.minhash))
            self._indexed[slot] = True
        if sig.exact_ok:
            twins.append(slot)
        return slot

    def _grow(self) -> None:
        size = len(self._alive) * 3 // 2  # the signature rows are most of the memory
        self._sigs = np.resize(self._sigs, (size, self.config.num_perm))
        self._sizes = np.resize(self._sizes, size)
        self._near_ok = np.resize(self._near_ok, size)
        alive = np.zeros(size, dtype=bool)
        alive[: len(self._alive)] = self._alive
        self._alive = alive
        indexed = np.zeros(size, dtype=bool)
        indexed[: len(self._indexed)] = self._indexed
        self._indexed = indexed


def _sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def _timestamp(value: datetime | date | None) -> float | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _order_key(rec: DedupRecord) -> OrderKey:
    """Earliest published first; undated documents by first-seen time; then by key."""
    published = _timestamp(rec.published_utc)
    seen = _timestamp(rec.first_seen)
    primary = published if published is not None else seen
    return (
        primary if primary is not None else math.inf,
        seen if seen is not None else math.inf,
        rec.key,
    )
