"""Helpers shared by the search tests (a module, not conftest, so tests can import it)."""

from __future__ import annotations

from search.records import IndexDoc


def make_doc(doc_id: int, text: str, **kw: object) -> IndexDoc:
    fields: dict[str, object] = {
        "url": f"https://blog{doc_id}.example.id/p/{doc_id}.html",
        "title": f"Judul {doc_id}",
        "kind": "post",
        "site": f"blog{doc_id}.example.id",
        "published_at": None,
        "published_utc": None,
        "duplicate_of": None,
        "content_hash": f"h{doc_id}-{hash(text) & 0xFFFF}",
    }
    fields.update(kw)
    return IndexDoc(id=doc_id, text=text, **fields)  # type: ignore[arg-type]
