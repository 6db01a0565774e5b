"""Reject items that cannot be stored, with a reason a user can act on."""

from __future__ import annotations

from scrapers.items import KINDS, PLATFORMS, DocumentItem


class InvalidItem(ValueError):
    """An item that cannot become a document; `key` names the stats counter."""

    def __init__(self, reason: str, key: str = "invalid"):
        super().__init__(reason)
        self.key = key


def validate(item: DocumentItem) -> None:
    if not isinstance(item.url, str) or not item.url.strip():
        raise InvalidItem("missing url", "invalid/no_url")
    if item.kind not in KINDS:
        raise InvalidItem(
            f"kind must be one of {', '.join(KINDS)}, not {item.kind!r}", "invalid/kind"
        )
    if item.platform not in PLATFORMS:
        raise InvalidItem(
            f"platform must be one of {', '.join(PLATFORMS)}, not {item.platform!r}",
            "invalid/platform",
        )
    if not isinstance(item.text, str):
        raise InvalidItem("text must be a string", "invalid/text")
    if not item.text.strip() and not item.deleted:
        raise InvalidItem("empty text", "invalid/empty_text")
    if item.kind == "comment" and not item.parent_url:
        raise InvalidItem(
            "a comment needs parent_url (the post it belongs to)", "invalid/no_parent"
        )
