"""One small element tree, two serialisations: XML (Atom/RSS) and Blogger's JSON.

Blogger's ``alt=json`` is a mechanical mapping of its Atom feed: text becomes ``$t``,
attributes become keys, ``prefix:name`` becomes ``prefix$name`` and repeatable elements
(entry, link, category, author) are always lists. Building both from the same tree keeps
the two formats in agreement, as they are on the real service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

REPEATED = {"entry", "link", "category", "author", "gd:extendedProperty", "item"}


@dataclass
class El:
    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    children: list[El] = field(default_factory=list)

    def add(self, tag: str, text: str | None = None, /, **attrs: str) -> El:
        child = El(tag, dict(attrs), text)
        self.children.append(child)
        return child

    def append(self, child: El) -> El:
        self.children.append(child)
        return child


def to_xml(root: El, *, declaration: str = "<?xml version='1.0' encoding='UTF-8'?>") -> str:
    parts: list[str] = [declaration]

    def walk(el: El) -> None:
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in el.attrs.items())
        if el.text is None and not el.children:
            parts.append(f"<{el.name}{attrs}/>")
            return
        parts.append(f"<{el.name}{attrs}>")
        if el.text is not None:
            parts.append(escape(el.text))
        for child in el.children:
            walk(child)
        parts.append(f"</{el.name}>")

    walk(root)
    return "".join(parts)


def _key(name: str) -> str:
    return name.replace(":", "$")


def to_blogger_json(root: El) -> dict:
    def walk(el: El) -> dict:
        out: dict = {_key(k): v for k, v in el.attrs.items()}
        if el.text is not None:
            out["$t"] = el.text
        for child in el.children:
            key = _key(child.name)
            value = walk(child)
            if child.name in REPEATED:
                out.setdefault(key, []).append(value)
            else:
                out[key] = value
        return out

    return {"version": "1.0", "encoding": "UTF-8", _key(root.name): walk(root)}
