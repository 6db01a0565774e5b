"""LSH band index: band key -> document slots, in sorted numpy runs (a small LSM tree).

A MinHash signature of `bands * rows` values is cut into bands; two documents become
candidates when any band is identical, so a lookup touches only the buckets of the new
document's band keys, never every stored document. With 128 values as 64 bands of 2
rows, a pair with Jaccard 0.25 shares a band with probability 0.98, one at 0.15 with
0.77, and a same-topic pair at 0.03 with 0.06; candidates are then verified on the full
signature by the detector.

Why not a dict of lists per band: at 100k documents that is 6.4M Python objects and more
than half a gigabyte. Here the last few hundred documents' keys sit in a small 2-D array
(scanned with one vectorised comparison) and are then flushed into immutable runs; runs
are merged level by level (each at least 4x the next), so there are O(log n) of them, and
a large run is a bucket table read with one row access per key (see `_Run`). Keys are
32-bit and the table rows hold 6 keys on average: about 11 bytes per band key, 0.7 KB per
document (it was 1.4 KB with 64-bit keys and power-of-two tables; bench/dedup.py).
"""

from __future__ import annotations

import numpy as np

from pipelines.dedup_minhash import splitmix64

__all__ = ["BandIndex"]


class BandIndex:
    """Maps the band keys of each added signature to that document's slot number."""

    def __init__(
        self,
        *,
        bands: int,
        rows: int,
        buffer_docs: int = 128,
        table_min_keys: int = 4096,
    ) -> None:
        if bands <= 0 or rows <= 0 or buffer_docs <= 0:
            raise ValueError("bands, rows and buffer_docs must be positive")
        self.bands = bands
        self.rows = rows
        # Recent documents: one row of band keys each, compared band by band (vectorised).
        self._buf_keys = np.empty((buffer_docs, bands), dtype=np.uint32)
        self._buf_slots = np.empty(buffer_docs, dtype=np.uint32)
        self._buf_n = 0
        self._runs: list[_Run] = []
        self._table_min_keys = table_min_keys
        self._band_ids = np.arange(bands, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)
        self._row_mul = _odd_constants(rows)

    def keys(self, minhash: np.ndarray) -> np.ndarray:
        """uint32[bands]: one key per band, distinct across bands for equal row values.

        32 bits are enough: a key is only a bucket, candidates are verified on the full
        signature, and at a million documents a lookup meets about one stray key."""
        values = minhash[: self.bands * self.rows].astype(np.uint64).reshape(self.bands, self.rows)
        acc = values @ self._row_mul if self.rows > 1 else values[:, 0] * self._row_mul[0]
        return (splitmix64(acc ^ self._band_ids) >> np.uint64(32)).astype(np.uint32)

    def add(self, slot: int, keys: np.ndarray) -> None:
        n = self._buf_n
        self._buf_keys[n] = keys
        self._buf_slots[n] = slot
        self._buf_n = n + 1
        if self._buf_n == len(self._buf_slots):
            self._flush()

    def query(self, keys: np.ndarray) -> np.ndarray:
        """Unique slots sharing at least one band key with `keys` (uint32 array)."""
        found: list[np.ndarray] = []
        for run in self._runs:
            run.lookup(keys, found)
        n = self._buf_n
        if n:
            rows = (self._buf_keys[:n] == keys).any(axis=1)
            if rows.any():
                found.append(self._buf_slots[:n][rows])
        if not found:
            return np.empty(0, dtype=np.uint32)
        return np.unique(np.concatenate(found))

    def nbytes(self) -> int:
        """Bytes held by the index (runs plus the fixed-size buffer)."""
        runs = sum(run.nbytes() for run in self._runs)
        return runs + self._buf_keys.nbytes + self._buf_slots.nbytes

    def _flush(self) -> None:
        n = self._buf_n
        if not n:
            return
        keys = self._buf_keys[:n].ravel()
        slots = np.repeat(self._buf_slots[:n], self.bands)
        order = np.argsort(keys, kind="stable")
        self._runs.append(_Run(keys[order], slots[order], self._table_min_keys))
        self._buf_n = 0
        # Leveled merging: a run is folded into the one before it until that one is at
        # least four times larger, so there are O(log n) runs and few of them are big.
        while len(self._runs) > 1 and len(self._runs[-2]) < 4 * len(self._runs[-1]):
            self._runs.append(self._merge(self._runs.pop(-2), self._runs.pop()))

    def _merge(self, older: _Run, newer: _Run) -> _Run:
        # Take the pairs out and drop the runs' tables before the new table is built: the
        # peak memory of a merge is then the pairs plus one table, not two tables.
        k1, s1 = older.items()
        k2, s2 = newer.items()
        del older, newer
        keys = np.concatenate([k1, k2])
        slots = np.concatenate([s1, s2])
        del k1, s1, k2, s2
        order = np.argsort(keys, kind="stable")  # timsort: a linear merge of two runs
        keys, slots = keys[order], slots[order]
        del order
        return _Run(keys, slots, self._table_min_keys)


_BUCKET = 8  # slots per bucket row; buckets hold 6 keys on average


class _Run:
    """An immutable set of (key, slot) pairs.

    Small runs are a sorted array searched with `searchsorted`. Large runs are a bucket
    table: the key picks one of ``size / 6`` rows of `_BUCKET` cells (multiply-shift, so
    sorted keys fill the rows in order and every row holds 6 keys on average), so a lookup
    is one row read per key instead of a binary search whose ~20 steps all miss the CPU
    cache once the run outgrows it (measured: 146 us per 64-key query on 6.4M keys). Keys
    that do not fit their row go to a small sorted overflow array.
    """

    __slots__ = ("_keys", "_slots", "_table_keys", "_table_slots", "_fill", "_rows", "_size")

    def __init__(self, keys: np.ndarray, slots: np.ndarray, table_min_keys: int) -> None:
        self._size = len(keys)
        self._table_keys: np.ndarray | None = None
        if self._size < table_min_keys:
            self._keys, self._slots = keys, slots
            return
        rows = max(1, -(-self._size // 6))
        self._rows = np.uint64(rows)
        top = self._row_of(keys)
        counts = np.bincount(top, minlength=rows)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rank = np.arange(self._size) - starts[top]
        fits = rank < _BUCKET
        self._table_keys = np.zeros((rows, _BUCKET), dtype=np.uint32)
        self._table_slots = np.zeros((rows, _BUCKET), dtype=np.uint32)
        self._table_keys[top[fits], rank[fits]] = keys[fits]
        self._table_slots[top[fits], rank[fits]] = slots[fits]
        self._fill = np.minimum(counts, _BUCKET).astype(np.uint8)
        self._keys, self._slots = keys[~fits], slots[~fits]  # overflow, still sorted

    def __len__(self) -> int:
        return self._size

    def _row_of(self, keys: np.ndarray) -> np.ndarray:
        return ((keys.astype(np.uint64) * self._rows) >> np.uint64(32)).astype(np.intp)

    def lookup(self, keys: np.ndarray, found: list[np.ndarray]) -> None:
        if self._table_keys is not None:
            bucket = self._row_of(keys)
            row, col = np.nonzero(self._table_keys[bucket] == keys[:, None])
            if len(row):
                found.append(self._table_slots[bucket[row], col])
        run_keys = self._keys
        if len(run_keys):
            lo = np.searchsorted(run_keys, keys)
            hit = run_keys[np.minimum(lo, len(run_keys) - 1)] == keys
            if hit.any():  # rare: only then look for the end of each equal range
                hi = np.searchsorted(run_keys, keys[hit], side="right")
                found.extend(self._slots[a:b] for a, b in zip(lo[hit], hi, strict=True))

    def items(self) -> tuple[np.ndarray, np.ndarray]:
        """All (keys, slots), keys sorted: the input of a merge."""
        if self._table_keys is None:
            return self._keys, self._slots
        used = np.arange(_BUCKET) < self._fill[:, None]
        keys = np.concatenate([self._table_keys[used], self._keys])
        slots = np.concatenate([self._table_slots[used], self._slots])
        order = np.argsort(keys, kind="stable")
        return keys[order], slots[order]

    def nbytes(self) -> int:
        total = self._keys.nbytes + self._slots.nbytes
        if self._table_keys is not None:
            total += self._table_keys.nbytes + self._table_slots.nbytes + self._fill.nbytes
        return total


def _odd_constants(count: int) -> np.ndarray:
    base = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return splitmix64(base) | np.uint64(1)
