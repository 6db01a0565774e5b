"""A post body as HTML and as the plain text a good extractor should recover from it.

The corpus keeps paragraphs, images, links and hashtags apart; blogs interleave them.
A link whose text occurs in a paragraph becomes an inline anchor there (that is how
authors write), otherwise it gets a "Sumber:" line; hashtags the paragraphs lack are
added as a closing line. ``body_text`` returns exactly the words ``body_html`` shows.
"""

from __future__ import annotations

from html import escape

from .model import Link, Post


def _inline(paragraph: str, links: list[Link], used: set[int]) -> str:
    out = escape(paragraph, quote=False)
    for i, link in enumerate(links):
        if i in used or not link.text or link.text not in paragraph:
            continue
        anchor = escape(link.text, quote=False)
        rel = f' rel="{escape(link.rel)}"' if link.rel else ""
        out = out.replace(anchor, f'<a href="{escape(link.href)}"{rel}>{anchor}</a>', 1)
        used.add(i)
    return out.replace("\n", "<br />\n")


def _extra_lines(post: Post, used: set[int], language: str) -> list[tuple[str, str]]:
    """(html, text) lines after the paragraphs: leftover links and missing hashtags."""
    lines: list[tuple[str, str]] = []
    label = "Source" if language == "en" else "Sumber"
    for i, link in enumerate(post.links):
        if i in used:
            continue
        rel = f' rel="{escape(link.rel)}"' if link.rel else ""
        anchor = f'<a href="{escape(link.href)}"{rel}>{escape(link.text, quote=False)}</a>'
        lines.append((f"{label}: {anchor}", f"{label}: {link.text}"))
    joined = "\n".join(post.paragraphs)
    missing = [h for h in post.hashtags if h not in joined]
    if missing:
        tags = " ".join(missing)
        lines.append((escape(tags, quote=False), tags))
    return lines


def body_html(post: Post, *, language: str = "id", image_style: str = "blogger") -> str:
    used: set[int] = set()
    paras = [_inline(p, post.links, used) for p in post.paragraphs]
    images = []
    for img in post.images:
        src, alt = escape(img.src), escape(img.alt)
        if image_style == "blogger":
            images.append(
                '<div class="separator" style="clear: both; text-align: center;">'
                f'<a href="{src}" style="margin-left: 1em; margin-right: 1em;">'
                f'<img alt="{alt}" border="0" data-original-height="480" '
                f'data-original-width="640" height="300" src="{src}" width="400" /></a></div>'
            )
        else:
            images.append(
                f'<figure class="wp-block-image size-large"><img decoding="async" '
                f'src="{src}" alt="{alt}" width="640" height="480" /></figure>'
            )
    blocks = [f"<p>{p}</p>" for p in paras]
    # images go after the first paragraph, as most bloggers place their header photo
    blocks[1:1] = images
    blocks.extend(f"<p>{h}</p>" for h, _ in _extra_lines(post, used, language))
    return "\n".join(blocks)


def body_text(post: Post, *, language: str = "id") -> str:
    used: set[int] = set()
    for p in post.paragraphs:
        _inline(p, post.links, used)
    lines = list(post.paragraphs) + [t for _, t in _extra_lines(post, used, language)]
    return "\n\n".join(lines)


def excerpt(post: Post, words: int = 40) -> str:
    tokens = " ".join(post.paragraphs).split()
    return " ".join(tokens[:words]) + (" [\u2026]" if len(tokens) > words else "")
