"""Topic filter: a source may require that a post or article mention one of its phrases.

"Semeru" alone also matches volcano news, so sources name phrases ("kampung tangguh"),
matched case- and whitespace-insensitively in the title and text. Comments follow their
post: they are kept unless the post itself was filtered out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def _pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    parts = [r"\s+".join(map(re.escape, p.split())) for p in phrases if p.strip()]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.I)


class TopicFilter:
    def __init__(self, phrases: Sequence[str] | None):
        self.phrases = list(phrases or [])
        self._re = _pattern(self.phrases)

    def matches(self, title: str | None, text: str) -> bool:
        if self._re is None:
            return True
        return bool(self._re.search(title or "")) or bool(self._re.search(text))
