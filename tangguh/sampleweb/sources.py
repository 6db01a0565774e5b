"""``sources.toml`` text for the sample sites at the live port (``scrapers.sources`` reads it).

Fault and robots hosts are left out: the reliability tests target them one by one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .site import SiteInfo

TOPIC = ["kampung tangguh"]


def _toml_value(value: object) -> str:
    # JSON strings and arrays of strings are valid TOML basic strings and arrays
    return json.dumps(value, ensure_ascii=False)


def render(
    sites: Iterable[SiteInfo],
    selectors: dict[str, dict[str, object]] | None = None,
    topic: list[str] | None = None,
) -> str:
    """One ``[[source]]`` per content site; ``topic`` (if given) on every source."""
    selectors = selectors or {}
    blocks = ["# Sources for the Tangguh sample web (generated; the port changes each run).\n"]
    for info in sites:
        if not info.in_sources:
            continue
        lines = [
            "[[source]]",
            f"name = {_toml_value(info.name)}",
            f"kind = {_toml_value(info.kind)}",
            f"start_urls = {_toml_value(info.start_urls)}",
            f"allowed_domains = {_toml_value([info.host])}",
        ]
        if topic:
            lines.append(f"topic = {_toml_value(topic)}")
        if info.kind == "news" and info.host in selectors:
            lines.append("[source.selectors]")
            for key, value in selectors[info.host].items():
                lines.append(f"{key} = {_toml_value(value)}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
