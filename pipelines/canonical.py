"""Canonical URLs: one key per document, whatever link led the crawler to it.

The same Blogger post is reachable as `http://WWW.Blog.blogspot.com:80/2020/06/x.html?m=1`,
with `utm_*` tags from a share button, as an AMP page, or through its own
`<link rel=canonical>`; the store keys documents by the string returned here, so every
variant must collapse to one value and applying the function twice must change nothing
(a hypothesis property in the tests).

Comments are the exception to "drop the fragment": a comment's permalink is the post URL
plus what identifies the comment (Blogger `#c123`, or `?showComment=MS` when there is no
anchor; WordPress `#comment-45`, or `?replytocom=45`). Those identifiers are kept, and a
comment URL that identifies no comment is refused rather than collapsed onto its post,
where an upsert would overwrite the post.

The scheme is kept as found (only lower-cased): a canonical URL is also the link a user
clicks, and some sites only answer on one scheme.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

__all__ = ["canonical_url", "site_of", "TRACKING_PARAMS"]

#: Query parameters that never change what a page shows (analytics, ad click ids, shares).
#: Only well-known names: dropping a parameter that does matter would fold two pages into
#: one stored document, while keeping a tracking one only costs a duplicate that content
#: dedup then catches.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "igshid",
        "igsh",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ref_src",
        "ref_url",
        "spm",
        "share",
        "__twitter_impression",
        "fb_action_ids",
        "fb_action_types",
        "fb_source",
        "fb_ref",
        "action_object_map",
        "action_type_map",
        "action_ref_map",
        "s_cid",
        "cmpid",
        "wt_mc",
        "oly_enc_id",
        "oly_anon_id",
        "vero_id",
        "rb_clickid",
        "amp_js_v",
        "usqp",
        "__tn__",
        "__cft__",
        "spref",  # Blogger share-button referrer
        "phpsessid",
        "jsessionid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__cft__")

_DEFAULT_PORTS = {"http": 80, "https": 443}
_INDEX_PAGES = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?|jsp)$", re.IGNORECASE)
_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"

# Comment identifiers in fragments: Blogger `c123`, WordPress/Disqus `comment-123`, and the
# WordPress theme variants that wrap the same id (`li-comment-123`, `div-comment-123`).
_BLOGGER_FRAGMENT = re.compile(r"^c(\d+)$")
_WP_FRAGMENT = re.compile(r"^(?:li-|div-)?comment-(\d+)$", re.IGNORECASE)
_AMP_CACHE_HOST = ".cdn.ampproject.org"
_BLOGSPOT_CCTLD = re.compile(r"\.blogspot\.(?!com$)[a-z]{2,3}(?:\.[a-z]{2})?$")
_SESSION_PATH_PARAM = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
# Fragments a theme puts on links to a post's comment section, not to one comment.
_NON_COMMENT_FRAGMENTS = frozenset({"comments", "respond", "more", "top", "main", "content"})


def site_of(url: str) -> str:
    """The site a URL belongs to: its host, lower-cased, without `www.` and without port.

    Used for the document's `site` field and to decide whether a page's own canonical link
    points inside the same site (a cross-site canonical is a syndication hint, not identity).
    Raises ValueError, as `canonical_url` does, for anything but an absolute http(s) URL.
    """
    return _normalise_host(_split_absolute(url).hostname or "")


def canonical_url(url: str, *, page_canonical: str | None = None, kind: str = "post") -> str:
    """Return the canonical form of `url` (see the module docstring for what collapses).

    `page_canonical` is the page's own `<link rel=canonical>` (absolute or relative); it wins
    when it stays on the same site and does not point at the site's home page while the
    URL itself does not (some CMS themes print the home page on every page, which would
    fold every post into one document). For `kind="comment"` the comment identifier of
    `url` is carried over onto the canonical post URL.

    Raises ValueError for anything that is not an absolute http(s) URL, and for a comment
    URL that does not identify a comment.
    """
    if kind == "comment":
        return _canonical_comment(url, page_canonical)
    own = _canonical_page(url)
    chosen = _choose_page_canonical(url, own, page_canonical)
    return chosen if chosen is not None else own


# --------------------------------------------------------------------------- pages


def _canonical_page(url: str) -> str:
    parts = _split_absolute(url)
    scheme = parts.scheme.lower()
    host = _normalise_host(parts.hostname or "")
    path = parts.path
    query = parts.query
    if host.endswith(_AMP_CACHE_HOST):
        return _canonical_page(_from_amp_cache(parts.path, query))
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = _normalise_path(path)
    params = [(k, v) for k, v in _query_pairs(query) if not _drop_param(k, v)]
    params.sort()
    query = urlencode(params, quote_via=quote, safe="/:@!$'()*,;~")
    return urlunsplit((scheme, netloc, path, query, ""))


def _choose_page_canonical(url: str, own: str, page_canonical: str | None) -> str | None:
    if not page_canonical or not page_canonical.strip():
        return None
    try:
        candidate = _canonical_page(urljoin(url, page_canonical.strip()))
    except ValueError:
        return None
    if site_of(candidate) != site_of(own):
        return None
    if urlsplit(candidate).path == "/" and urlsplit(own).path != "/":
        return None
    return candidate


def _split_absolute(url: str) -> SplitResult:
    if not isinstance(url, str):
        raise ValueError(f"not an absolute http(s) URL: {url!r} (expected a string)")
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - urlsplit defers port validation to this property
    except ValueError as exc:
        raise ValueError(f"not an absolute http(s) URL: {url!r} ({exc})") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    return parts


def _normalise_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host.isascii():
        with contextlib.suppress(UnicodeError):  # not encodable: keep it lower-cased
            host = host.encode("idna").decode("ascii")
    for prefix in ("www.", "amp."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    # Blogger served each blog on country domains too (x.blogspot.co.id, x.blogspot.sg).
    host = _BLOGSPOT_CCTLD.sub(".blogspot.com", host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # IPv6 literal: urlsplit strips the brackets from .hostname
    return host


def _from_amp_cache(path: str, query: str) -> str:
    """`https://www-x-com.cdn.ampproject.org/c/s/www.x.com/p` -> `https://www.x.com/p`."""
    match = re.match(r"^/[a-z]/(s/)?(.+)$", path)
    if not match:
        raise ValueError(f"not an AMP cache URL this module understands: {path!r}")
    scheme = "https" if match.group(1) else "http"
    rest = match.group(2)
    return f"{scheme}://{rest}" + (f"?{query}" if query else "")


def _normalise_path(path: str) -> str:
    path = _SESSION_PATH_PARAM.sub("", path)
    path = _normalise_escapes(path)
    path = quote(path, safe=_PATH_SAFE)
    path = _remove_dot_segments(path or "/")
    path = re.sub(r"/{2,}", "/", path)
    while True:  # each rule only shortens the path: repeat to a fixed point (idempotence)
        shorter = _strip_path_variants(path)
        if shorter == path:
            return path
        path = shorter


def _strip_path_variants(path: str) -> str:
    # AMP variants: `/slug/amp/`, `/amp/slug`, `/slug.amp`, `/slug.amp.html`.
    path = re.sub(r"/amp/?$", "/", path, flags=re.IGNORECASE)
    path = re.sub(r"^/amp(?=/.)", "", path, flags=re.IGNORECASE)
    path = re.sub(r"\.amp(?=(?:\.html?)?$)", "", path, flags=re.IGNORECASE)
    path = _INDEX_PAGES.sub("/", path)
    path = re.sub(r"/comment-page-\d+/?$", "/", path)  # WordPress paginated comments
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path or "/"


def _normalise_escapes(text: str) -> str:
    """Decode escapes of unreserved characters, upper-case the hex digits of the rest."""

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return _PERCENT.sub(fix, text)


def _remove_dot_segments(path: str) -> str:
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for seg in segments[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    trailing = "/" if segments[-1] in (".", "..") else ""
    return "/" + "/".join(out) + trailing


def _query_pairs(query: str) -> list[tuple[str, str]]:
    if not query:
        return []
    return parse_qsl(query, keep_blank_values=True)


def _drop_param(key: str, value: str) -> bool:
    low = key.lower()
    if low in TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES):
        return True
    if low == "m" and value in ("0", "1"):  # Blogger mobile switch (WordPress ?m=YYYYMM stays)
        return True
    if low in ("amp", "_amp") and value.lower() in ("", "1", "true", "yes"):
        return True
    if low == "outputtype" and value.lower() == "amp":
        return True
    return low in ("showcomment", "replytocom")  # comment ids; re-attached for comments


# --------------------------------------------------------------------------- comments


def _canonical_comment(url: str, page_canonical: str | None) -> str:
    parts = _split_absolute(url)
    anchor = _comment_anchor(parts)
    if anchor is None:
        raise ValueError(
            "comment URL identifies no comment (no #cID / #comment-ID anchor, "
            f"?showComment= or ?replytocom=): {url!r}"
        )
    base = _canonical_page(url)
    chosen = _choose_page_canonical(url, base, page_canonical)
    if chosen is not None:
        base = chosen
    if anchor.startswith("showComment="):
        return base + ("&" if "?" in base else "?") + anchor
    return base + anchor


def _comment_anchor(parts: SplitResult) -> str | None:
    """What identifies the comment: a fragment, or a query parameter when there is none."""
    fragment = unquote(parts.fragment or "").strip()
    if m := _BLOGGER_FRAGMENT.match(fragment):
        return f"#c{m.group(1)}"
    if m := _WP_FRAGMENT.match(fragment):
        return f"#comment-{m.group(1)}"
    pairs = {k.lower(): v.strip() for k, v in _query_pairs(parts.query)}
    if pairs.get("replytocom", "").isdigit():
        return f"#comment-{pairs['replytocom']}"
    if pairs.get("showcomment", "").isdigit():
        return f"showComment={pairs['showcomment']}"
    if fragment and fragment.lower() not in _NON_COMMENT_FRAGMENTS:
        return "#" + quote(fragment, safe="-._~!$&'()*+,;=:@/?")
    return None
