"""Indonesian labels by default, English with ``?lang=en`` or the browser's language.

The labels are data (``labels.json``: one object per language, same keys), not code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

LANGUAGES = ("id", "en")
DEFAULT = "id"


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    text = resources.files("tangguh.web").joinpath("labels.json").read_text(encoding="utf-8")
    return json.loads(text)


def labels(lang: str) -> dict[str, str]:
    table = _labels()
    return table.get(lang) or table[DEFAULT]


def choose(query_lang: str | None, accept_language: str | None) -> tuple[str, bool]:
    """(language, chosen explicitly): ``?lang=`` wins, then the browser's preference order
    (q-values), then Indonesian. Explicit choices are carried in the page's links."""
    if query_lang in LANGUAGES:
        return query_lang, True
    best, best_q = DEFAULT, -1.0
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().split("-")[0]
        if code not in LANGUAGES:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        q -= position * 1e-6  # equal q: the earlier language wins
        if q > best_q:
            best, best_q = code, q
    return best, False
