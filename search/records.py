"""Plain records crossing the search package's boundary.

Why a module of its own: the store exports ``IndexDoc`` values, the CLI consumes ``Hit`` values,
and neither should import the heavier index or encoder code to name them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """One stored document as the index sees it (the lead maps store rows onto this).

    ``published_at`` is the ISO string as exported (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a
    full timestamp); ``published_utc`` is the same instant as an aware datetime when known.
    ``duplicate_of`` is the URL of the document this one duplicates (``None`` for originals).
    ``content_hash`` changes whenever the indexed text changes; it drives incremental updates.
    """

    id: int
    url: str
    title: str | None
    text: str
    kind: str | None = None
    site: str | None = None
    published_at: str | None = None
    published_utc: datetime | None = None
    duplicate_of: str | None = None
    content_hash: str = ""


@dataclass(slots=True)
class Hit:
    """One search result: a duplicate group, represented by its best-matching document."""

    url: str
    title: str | None
    kind: str | None
    site: str | None
    published_at: str | None
    score: float
    snippet: str
    copies: int = 1

    def to_json(self) -> dict[str, object]:
        """The hit as design.md's ``tangguh search --json`` object."""
        return asdict(self)


@dataclass(slots=True)
class IndexStats:
    """What one ``update_index`` call did."""

    docs_total: int = 0
    docs_added: int = 0
    docs_updated: int = 0
    docs_removed: int = 0
    docs_unchanged: int = 0
    chunks_total: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    model: str = ""
    ann: bool = False
    encoder: str = ""  # the document encoder that ran (``onnx-int8 on cpu``)

    def __str__(self) -> str:
        rate = f" ({self.chunks_embedded / self.seconds:.1f}/s)" if self.chunks_embedded else ""
        return (
            f"{self.docs_total} documents: {self.docs_added} added, {self.docs_updated} "
            f"updated, {self.docs_removed} removed, {self.docs_unchanged} unchanged; "
            f"{self.chunks_embedded} passages embedded in {self.seconds:.1f} s{rate}; "
            f"{self.chunks_total} passages indexed with {self.model}"
            + (f" (documents: {self.encoder})" if self.encoder and self.chunks_embedded else "")
            + (" (+ HNSW)" if self.ann else "")
        )
