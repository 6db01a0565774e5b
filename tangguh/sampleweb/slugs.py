"""URL slugs as WordPress and news CMSs make them (lower case ASCII words joined by '-')."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "uncategorized"
