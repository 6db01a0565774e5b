"""What contest entries look like on the real web, beyond the blogs themselves.

- ``www.catatan-susi.test``: the E01 blog (``kampungtangguh-semeru.blogspot.test``) served on
  its own domain; its pages still name the blogspot address (canonical, ``og:url``).
- ``arsip.test``: an archive, ``/web/<stamp>/<original URL>`` serves the original page.
- ``penjiplak.blogspot.test``: a blog whose post is E02's page copied whole, head included.
- ``s.test``: short links, ``/<code>`` answers 301 to an entry (``SHORT_LINKS``; two codes
  lead to the same post).
- ``peserta-NNN.blogspot.test`` (``SampleWeb(entries=N)``): N one-post Blogger blogs, one per
  host, each post a distinct eligible entry with comments, for judging at scale.

Copies are served byte for byte from the original site, as a mirror or a scraper would; none
of these hosts is in the manifest or in ``sources_toml()``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from .blogger import BloggerSite
from .model import Blog, Comment, Image, Link, Post, stable_int
from .responses import WIB, Request, Response, redirect, text
from .scale import KELURAHAN, _babble
from .site import Origin, Site, SiteInfo

CORPUS = Path(__file__).parent / "corpus" / "contest.json"
CUSTOM_DOMAIN = "www.catatan-susi.test"
ARCHIVE = "arsip.test"
COPYCAT = "penjiplak.blogspot.test"
COPYCAT_PATH = "/2020/06/kampung-tangguh-semeru-versi-saya.html"
SHORT = "s.test"
FARM = re.compile(r"^peserta-(\d{3,5})\.blogspot\.test$")
FARM_START = datetime(2020, 6, 24, 8, 0, tzinfo=WIB)  # the contest opened on 24 June

Respond = Callable[[Request], Response]


def contest_entries() -> dict[str, dict]:
    """The sample contest's entries by label (``E01`` ...), from the corpus."""
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    return {e["entry"]: e for e in data["entries"]}


def _short_links() -> dict[str, tuple[str, str]]:
    entries = contest_entries()
    return {
        "lomba-e02": (entries["E02"]["host"], entries["E02"]["path"]),
        "ktsemeru2": (entries["E02"]["host"], entries["E02"]["path"]),  # the same post again
        "lomba-e03": (entries["E03"]["host"], entries["E03"]["path"]),
    }


SHORT_LINKS = _short_links()


class _Served(Site):
    """A host that answers with another sample site's response (a mirror, a copy)."""

    def __init__(self, origin: Origin, host: str, respond: Respond) -> None:
        super().__init__(origin)
        self.host = host
        self.name = host
        self._respond = respond

    def from_site(self, request: Request, host: str, path: str, query: dict) -> Response:
        inner = Request(request.method, host, request.port, path, query, request.headers)
        return self._respond(inner)

    def info(self) -> SiteInfo:
        return SiteInfo(self.host, self.name, "mirror", "mirror", self.host, [self.url("/")],
                        in_sources=False)  # fmt: skip


class CustomDomainSite(_Served):
    """A blog on its own domain: every path is the blogspot blog's page, unchanged."""

    def __init__(self, origin: Origin, respond: Respond, blog_host: str) -> None:
        super().__init__(origin, CUSTOM_DOMAIN, respond)
        self.blog_host = blog_host

    def respond(self, request: Request) -> Response:
        return self.from_site(request, self.blog_host, request.path, request.query)


class ArchiveSite(_Served):
    """``/web/<14-digit stamp>/<original URL>``: the original page, as archived."""

    _PATH = re.compile(r"^/web/\d{14}/https?://(?P<host>[^/:]+)(?::\d+)?(?P<path>/[^?]*)?$")

    def __init__(self, origin: Origin, respond: Respond) -> None:
        super().__init__(origin, ARCHIVE, respond)

    def respond(self, request: Request) -> Response:
        match = self._PATH.match(request.path)
        if match is None:
            return text("<h1>Tidak ada di arsip</h1>", status=404)
        return self.from_site(request, match["host"], match["path"] or "/", {})


class CopycatSite(_Served):
    """One post that is somebody else's page copied whole (its head names the original)."""

    def __init__(self, origin: Origin, respond: Respond, host: str, path: str) -> None:
        super().__init__(origin, COPYCAT, respond)
        self.source = (host, path)

    def respond(self, request: Request) -> Response:
        if request.path == COPYCAT_PATH:
            return self.from_site(request, *self.source, {})
        return super().respond(request)


class ShortLinkSite(Site):
    host = SHORT
    name = "short-links"

    def handle(self, request: Request) -> Response:
        target = SHORT_LINKS.get(request.path.strip("/"))
        if target is None:
            return text("<h1>Tautan tidak dikenal</h1>", status=404)
        return redirect(self.origin.url(*target), 301)

    def info(self) -> SiteInfo:
        return SiteInfo(self.host, self.name, "mirror", "short", self.host, [self.url("/")],
                        in_sources=False)  # fmt: skip


def edge_sites(origin: Origin, respond: Respond) -> list[Site]:
    entries = contest_entries()
    return [
        CustomDomainSite(origin, respond, entries["E01"]["host"]),
        ArchiveSite(origin, respond),
        CopycatSite(origin, respond, entries["E02"]["host"], entries["E02"]["path"]),
        ShortLinkSite(origin),
    ]


# --- many entries, one host each -----------------------------------------------------------


def write_form(path: Path, urls: list[str]) -> Path:
    """A Google Forms export (English headers) with one entrant per URL, for `judge run`."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Timestamp", "Nama Lengkap", "Alamat Email", "URL Postingan"])
        for n, url in enumerate(urls, start=1):
            when = FARM_START + timedelta(minutes=n)
            stamp = f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute:02d}:00"
            writer.writerow([stamp, f"Peserta {n}", f"peserta{n}@mail.test", url])
    return path


class EntryFarm:
    """``n`` one-post Blogger blogs at ``peserta-001.blogspot.test`` ... (made on first use)."""

    def __init__(self, origin: Origin, n: int, seed: int = 0) -> None:
        self.origin = origin
        self.n = n
        self.seed = seed
        self._sites: dict[int, BloggerSite] = {}
        self._lock = threading.Lock()

    @staticmethod
    def host(i: int) -> str:
        return f"peserta-{i:03d}.blogspot.test"

    def entry_url(self, i: int) -> str:
        post = self.post(i)
        return self.origin.url(self.host(i), f"/2020/06/{post.slug}.html")

    def entry_urls(self) -> list[str]:
        return [self.entry_url(i) for i in range(1, self.n + 1)]

    def site(self, host: str) -> BloggerSite | None:
        match = FARM.match(host)
        if match is None or not 1 <= int(match[1]) <= self.n:
            return None
        i = int(match[1])
        with self._lock:
            if i not in self._sites:
                blog = Blog(self.host(i), "blogger", "blogger-modern", f"Catatan Peserta {i}",
                            "id", f"Peserta {i}", [self.post(i)], source=f"peserta-{i}")  # fmt: skip
                blog.native_id = stable_int(self.seed, "farm-blog", i)
                self._sites[i] = BloggerSite(blog, self.origin, self.seed)
            return self._sites[i]

    def post(self, i: int) -> Post:
        """Entry ``i``: inside the window, over 300 words, keyword, hashtag, link and image."""
        kel = KELURAHAN[stable_int(self.seed, "farm-kel", i, digits=4) % len(KELURAHAN)]
        published = FARM_START + timedelta(minutes=7 * i % (4 * 24 * 60))
        paragraphs = [
            f"Kampung Tangguh Semeru di Kelurahan {kel} RW {1 + i % 19:02d} adalah cerita "
            f"gotong royong warga selama pandemi, ditulis oleh peserta nomor {i}."
        ]
        paragraphs += [
            " ".join(_babble(self.seed, 100_000 + i, 3 * k + j, words=20) for j in range(3))
            for k in range(6)
        ]
        paragraphs.append(
            "Informasi lomba dari Tribratanews Polda Jatim. #KampungTangguhSemeru #JogoTonggo"
        )
        comments = [
            Comment(
                f"c{k}",
                f"Pembaca {k}",
                published + timedelta(hours=k + 1),
                f"Tulisan yang bagus tentang {kel}, terima kasih (komentar {k}).",
                None,
                native_id=stable_int(self.seed, "farm-comment", i, k),
            )  # fmt: skip
            for k in range(1, 4)
        ]
        return Post(
            slug=f"kampung-tangguh-semeru-{kel.lower()}-peserta-{i}",
            title=f"Kampung Tangguh Semeru di {kel}: Catatan Peserta {i}",
            published=published,
            updated=published,
            author=f"Peserta {i}",
            labels=["Kampung Tangguh"],
            paragraphs=paragraphs,
            images=[Image(f"/img/peserta-{i}.jpg", f"Posko Kampung Tangguh {kel}")],
            links=[
                Link(
                    "https://tribratanews.jatim.polri.go.id/2020/06/24/lomba-blogger/",
                    "Tribratanews Polda Jatim",
                )  # fmt: skip
            ],
            hashtags=["#KampungTangguhSemeru"],
            topic="kampung-tangguh",
            syndicated_group=None,
            contest_entry=f"P{i:03d}",
            comments=comments,
            native_id=stable_int(self.seed, "farm-post", i),
        )
