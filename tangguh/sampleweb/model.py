"""The sample web's content model, loaded from the corpus JSON files.

The corpus (``tangguh/sampleweb/corpus/``, schema in its README) is plain text written by
people; this module turns it into typed objects and gives every post and comment the
stable numeric ids the real platforms would show (Blogger's 19-digit ids, WordPress's
small integers). Ids are derived from the seed and the content's identity, never from
load order, so the same seed always yields the same URLs and bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

DEFAULT_CORPUS_DIR = Path(__file__).parent / "corpus"


class CorpusError(ValueError):
    """A corpus file that does not follow the schema (named with the file and the field)."""


def stable_int(seed: int, *parts: object, digits: int = 19) -> int:
    """A deterministic number of exactly ``digits`` digits for ``parts`` under ``seed``."""
    raw = hashlib.sha256("\x1f".join(map(str, (seed, *parts))).encode()).digest()
    low = 10 ** (digits - 1)
    return low + int.from_bytes(raw[:16], "big") % (9 * low)


@dataclass
class Comment:
    """One comment as the corpus describes it; ``native_id`` is the platform's id."""

    key: str  # the corpus id ("c1"), unique within its post
    author: str | None  # None: anonymous
    published: datetime
    text: str
    reply_to: str | None  # corpus key of the comment replied to
    deleted: bool = False
    native_id: int = 0


@dataclass
class Image:
    src: str
    alt: str


@dataclass
class Link:
    href: str
    text: str
    rel: str | None = None


@dataclass
class Post:
    slug: str
    title: str
    published: datetime
    updated: datetime
    author: str
    labels: list[str]
    paragraphs: list[str]
    images: list[Image]
    links: list[Link]
    hashtags: list[str]
    topic: str
    syndicated_group: str | None
    contest_entry: str | None
    comments: list[Comment] = field(default_factory=list)
    native_id: int = 0

    def comment(self, key: str) -> Comment:
        for c in self.comments:
            if c.key == key:
                return c
        raise KeyError(key)


@dataclass
class Blog:
    host: str
    platform: str  # blogger | wordpress
    template: str  # blogger-modern | blogger-classic | wp-twentytwenty | wp-rest-off
    title: str
    language: str  # id | en: the UI locale (date headers, "komentar"/"comments")
    owner: str
    posts: list[Post]
    native_id: int = 0
    source: str = ""  # the corpus file, for error messages and sources.toml names


@dataclass
class Article:
    slug: str
    title: str
    published: datetime
    author: str
    category: str
    lead_dateline: str
    paragraphs: list[str]
    topic: str
    syndicated_group: str | None
    related: list[str]
    native_id: int = 0


@dataclass
class NewsSite:
    host: str
    name: str
    charset: str  # utf-8 | windows-1252
    style: str  # gov | portal
    articles: list[Article]
    source: str = ""


@dataclass
class Corpus:
    blogs: list[Blog]
    news: list[NewsSite]


def _dt(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise CorpusError(f"{where}: expected an ISO date string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CorpusError(f"{where}: {exc}") from None
    if parsed.tzinfo is None:
        raise CorpusError(f"{where}: date {value!r} has no UTC offset")
    return parsed


def _req(obj: dict, key: str, where: str) -> object:
    if key not in obj:
        raise CorpusError(f"{where}: missing field {key!r}")
    return obj[key]


def _comment(raw: dict, where: str) -> Comment:
    return Comment(
        key=str(_req(raw, "id", where)),
        author=raw.get("author") or None,
        published=_dt(_req(raw, "published", where), f"{where}.published"),
        text=str(_req(raw, "text", where)),
        reply_to=raw.get("reply_to") or None,
        deleted=bool(raw.get("deleted", False)),
    )


def _post(raw: dict, where: str) -> Post:
    published = _dt(_req(raw, "published", where), f"{where}.published")
    post = Post(
        slug=str(_req(raw, "slug", where)),
        title=str(_req(raw, "title", where)),
        published=published,
        updated=_dt(raw.get("updated") or raw["published"], f"{where}.updated"),
        author=str(raw.get("author") or ""),
        labels=[str(x) for x in raw.get("labels") or []],
        paragraphs=[str(p) for p in _req(raw, "paragraphs", where)],
        images=[Image(str(i["src"]), str(i.get("alt") or "")) for i in raw.get("images") or []],
        links=[
            Link(str(x["href"]), str(x.get("text") or x["href"]), x.get("rel"))
            for x in raw.get("links") or []
        ],
        hashtags=[str(h) for h in raw.get("hashtags") or []],
        topic=str(raw.get("topic") or "other"),
        syndicated_group=raw.get("syndicated_group") or None,
        contest_entry=raw.get("contest_entry") or None,
        comments=[
            _comment(c, f"{where}.comments[{i}]") for i, c in enumerate(raw.get("comments") or [])
        ],
    )
    keys = [c.key for c in post.comments]
    if len(set(keys)) != len(keys):
        raise CorpusError(f"{where}: duplicate comment ids")
    for c in post.comments:
        if c.reply_to is not None and c.reply_to not in keys:
            raise CorpusError(f"{where}: comment {c.key} replies to unknown {c.reply_to}")
    return post


def _article(raw: dict, where: str) -> Article:
    return Article(
        slug=str(_req(raw, "slug", where)),
        title=str(_req(raw, "title", where)),
        published=_dt(_req(raw, "published", where), f"{where}.published"),
        author=str(raw.get("author") or ""),
        category=str(raw.get("category") or "Berita"),
        lead_dateline=str(raw.get("lead_dateline") or ""),
        paragraphs=[str(p) for p in _req(raw, "paragraphs", where)],
        topic=str(raw.get("topic") or "other"),
        syndicated_group=raw.get("syndicated_group") or None,
        related=[str(s) for s in raw.get("related") or []],
    )


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: top level must be an object")
    return data


def load_blog(path: Path) -> Blog:
    raw = _read(path)
    where = path.name
    platform = str(_req(raw, "platform", where))
    if platform not in ("blogger", "wordpress"):
        raise CorpusError(f"{where}: unknown platform {platform!r}")
    posts = [_post(p, f"{where}.posts[{i}]") for i, p in enumerate(_req(raw, "posts", where))]
    slugs = [p.slug for p in posts]
    if len(set(slugs)) != len(slugs):
        raise CorpusError(f"{where}: duplicate post slugs")
    return Blog(
        host=str(_req(raw, "host", where)).lower(),
        platform=platform,
        template=str(raw.get("template") or ("blogger-modern" if platform == "blogger" else "")),
        title=str(raw.get("blog_title") or raw.get("title") or raw["host"]),
        language=str(raw.get("language") or "id"),
        owner=str(raw.get("owner") or ""),
        posts=posts,
        source=path.stem,
    )


def load_news(path: Path) -> NewsSite:
    raw = _read(path)
    where = path.name
    arts = [
        _article(a, f"{where}.articles[{i}]") for i, a in enumerate(_req(raw, "articles", where))
    ]
    slugs = [a.slug for a in arts]
    if len(set(slugs)) != len(slugs):
        raise CorpusError(f"{where}: duplicate article slugs")
    charset = str(raw.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "windows-1252"):
        raise CorpusError(f"{where}: unsupported charset {charset!r}")
    return NewsSite(
        host=str(_req(raw, "host", where)).lower(),
        name=str(raw.get("name") or raw["host"]),
        charset=charset,
        style=str(raw.get("style") or "gov"),
        articles=arts,
        source=path.stem,
    )


def assign_ids(corpus: Corpus, seed: int) -> None:
    """Give every blog, post, comment and article its platform-shaped id."""
    for blog in corpus.blogs:
        blog.native_id = stable_int(seed, "blog", blog.host)
        if blog.platform == "blogger":
            for post in blog.posts:
                post.native_id = stable_int(seed, "post", blog.host, post.slug)
                for c in post.comments:
                    c.native_id = stable_int(seed, "comment", blog.host, post.slug, c.key)
        else:
            # WordPress ids are one counter per site shared by posts, pages and attachments:
            # increasing with time, with gaps.
            next_id = 10 + seed % 50
            for post in sorted(blog.posts, key=lambda p: (p.published, p.slug)):
                next_id += 1 + stable_int(seed, blog.host, post.slug, digits=1) % 4
                post.native_id = next_id
            cid = 1 + seed % 20
            everything = [(c.published, p.slug, c.key, c) for p in blog.posts for c in p.comments]
            for *_, c in sorted(everything, key=lambda t: t[:3]):
                cid += 1 + stable_int(seed, blog.host, c.key, digits=1) % 3
                c.native_id = cid
    for site in corpus.news:
        for art in site.articles:
            art.native_id = 1000 + stable_int(seed, "article", site.host, art.slug, digits=5)


def load_corpus(corpus_dir: Path | None = None, *, seed: int = 0) -> Corpus:
    """Load every ``blogs/*.json`` and ``news/*.json`` under ``corpus_dir`` (sorted by name)."""
    root = Path(corpus_dir) if corpus_dir is not None else DEFAULT_CORPUS_DIR
    blogs = [load_blog(p) for p in sorted((root / "blogs").glob("*.json"))]
    news = [load_news(p) for p in sorted((root / "news").glob("*.json"))]
    hosts = [b.host for b in blogs] + [n.host for n in news]
    if len(set(hosts)) != len(hosts):
        raise CorpusError(f"{root}: two corpus files use the same host")
    corpus = Corpus(blogs=blogs, news=news)
    assign_ids(corpus, seed)
    return corpus
