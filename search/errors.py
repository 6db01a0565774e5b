"""Errors of the search package that the CLI reports as a message, not a traceback."""

from __future__ import annotations


class SearchIndexError(RuntimeError):
    """Base class for index problems the CLI reports as a message, not a traceback."""


class ModelMismatchError(SearchIndexError):
    """The index was built with another embedding model: its vectors are not comparable."""


class EncoderMismatchError(SearchIndexError):
    """The index holds another kind of vectors of the same model (int8 against fp32): adding
    to it with this encoder would mix them; re-embedding it all must be asked for."""


class IndexMissingError(SearchIndexError):
    """No index at the given folder yet."""


class IndexBusyError(SearchIndexError):
    """Another process is updating this index."""


class DeviceUnavailableError(SearchIndexError):
    """The requested device or document encoder cannot run here (no CUDA, int8 on a GPU)."""


class EncoderSettingError(SearchIndexError, ValueError):
    """A document-encoder setting (TANGGUH_DOC_ENCODER, TANGGUH_DEVICE, TANGGUH_EMBED_WORKERS,
    ...) that is not one of its values."""
