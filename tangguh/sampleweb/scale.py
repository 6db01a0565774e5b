"""``scale.test``: N deterministic, distinct news articles for benchmarks (``--scale N``).

Articles are generated on request from their number (nothing is held in memory), with
combinatorial Indonesian sentences so that no two pages are near-duplicates: each mixes
its own kelurahan, RW/RT numbers, people, counts and date. Markup is the ``gov`` news
style, so the same selectors work.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

from .localefmt import HARI, gov_list_date, long_date
from .manifest import ManifestRecord
from .model import stable_int
from .responses import FAKE_NOW, WIB, Request, Response, html, text
from .site import Origin, Site, SiteInfo

HOST = "scale.test"
CORPUS_DIR = Path(__file__).parent / "corpus"
PAGE_SIZE = 20
START = datetime(2020, 5, 1, 7, 0, tzinfo=WIB)

KELURAHAN = [
    "Sukorejo", "Karangsari", "Blitar", "Tanjungsari", "Pakunden", "Tlumpu", "Turi",
    "Kepanjenkidul", "Kepanjenlor", "Kauman", "Bendo", "Sentul", "Ngadirejo", "Tanggung",
    "Sananwetan", "Rembang", "Kalirejo", "Bendogerit", "Plosokerep", "Karangtengah", "Gedog",
]  # fmt: skip
SUBJECTS = [
    "Warga", "Pengurus RT", "Relawan muda", "Ibu-ibu PKK", "Karang Taruna", "Ketua RW",
    "Bhabinkamtibmas", "Babinsa", "Lurah", "Kader posyandu", "Takmir masjid", "Pemuda",
]  # fmt: skip
ACTIONS = [
    "membagikan masker kain kepada", "mendata kedatangan", "menyiapkan paket sembako untuk",
    "menyemprotkan disinfektan di rumah", "mengantar nasi bungkus bagi", "memeriksa suhu tubuh",
    "menggalang donasi beras untuk", "mengajari cara mencuci tangan kepada",
    "menjadwalkan ronda malam bersama", "mencatat kebutuhan harian",
]  # fmt: skip
OBJECTS = [
    "warga isolasi mandiri", "pedagang pasar", "lansia", "pemudik dari Surabaya", "anak sekolah",
    "pengemudi ojek", "buruh pabrik", "penghuni kos", "petani", "keluarga pekerja migran",
]  # fmt: skip
PLACES = [
    "posko jaga", "balai RW", "lumbung pangan", "dapur umum", "ruang isolasi", "gapura kampung",
    "pos ronda", "mushala", "lapangan voli", "gedung serbaguna",
]  # fmt: skip
CLOSERS = [
    "Kegiatan ini akan diulang setiap pekan selama pandemi.",
    "Warga berharap bantuan dari pemerintah kota segera tiba.",
    "Camat memberi apresiasi atas gotong royong tersebut.",
    "Jogo tonggo menjadi semboyan yang terus digaungkan.",
    "Laporan harian dikirim ke grup WhatsApp satgas kelurahan.",
    "Sebagian warga menyumbang hasil kebun untuk lumbung pangan.",
]  # fmt: skip


def _corpus_successors() -> dict[str, list[str]]:
    """Word-to-next-words table learnt from the bundled corpus (built once, on first use)."""
    global _SUCCESSORS
    if _SUCCESSORS is None:
        table: dict[str, list[str]] = {}
        for path in sorted(CORPUS_DIR.glob("*/*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            for doc in data.get("posts", []) + data.get("articles", []):
                words = " ".join(doc.get("paragraphs", [])).split()
                for a, b in zip(words, words[1:], strict=False):
                    table.setdefault(a, []).append(b)
        _SUCCESSORS = table or {"Warga": ["bergotong"], "bergotong": ["royong."]}
    return _SUCCESSORS


_SUCCESSORS: dict[str, list[str]] | None = None


def _babble(seed: int, i: int, k: int, words: int = 28) -> str:
    """Deterministic corpus-like filler (a word chain drawn from the corpus's own bigrams).

    Without it, pages built from the few template sentences above share most of their
    word 5-grams and a duplicate detector rightly groups them, which makes benchmark
    corpora unlike real ones. The chain gives every page mostly unique 5-grams.
    """
    table = _corpus_successors()
    keys = sorted(table)
    word = keys[stable_int(seed, "babble", i, k, digits=9) % len(keys)]
    out = [word.capitalize()]
    for n in range(words - 1):
        nexts = table.get(word) or keys
        word = nexts[stable_int(seed, "babble", i, k, n, digits=9) % len(nexts)]
        out.append(word)
    return " ".join(out).rstrip(",;:") + "."


class ScaleSite(Site):
    host = HOST
    name = "scale"

    def __init__(self, origin: Origin, n: int, seed: int = 0) -> None:
        super().__init__(origin)
        self.n = n
        self.seed = seed

    def respond(self, request: Request) -> Response:
        # stateless: no lock, so benchmarks measure the crawler, not this server
        if request.path == "/robots.txt":
            return self.robots_response()
        return self.handle(request)

    def _pick(self, i: int, what: str, options: list[str], k: int = 0) -> str:
        return options[stable_int(self.seed, "scale", i, what, k, digits=6) % len(options)]

    def published(self, i: int) -> datetime:
        hours = i * 7 + stable_int(self.seed, "scale-h", i, digits=2) % 5
        return START + timedelta(hours=hours)

    def slug(self, i: int) -> str:
        kel = self._pick(i, "kel", KELURAHAN).lower()
        return f"kampung-tangguh-{kel}-rw-{1 + i % 19:02d}-laporan-{i}"

    def path(self, i: int) -> str:
        return f"/artikel/{i}/{self.slug(i)}"

    def title(self, i: int) -> str:
        kel = self._pick(i, "kel", KELURAHAN)
        subj = self._pick(i, "subj", SUBJECTS, 0)
        return f"{subj} Kampung Tangguh {kel} RW {1 + i % 19:02d}: Laporan ke-{i}"

    def paragraphs(self, i: int) -> list[str]:
        when = self.published(i)
        kel = self._pick(i, "kel", KELURAHAN)
        dateline = f"Blitar Kota - {HARI[when.weekday()]}, ({when:%d/%m/%Y}),"
        paras = []
        for k in range(4):
            subj = self._pick(i, "subj", SUBJECTS, k)
            act = self._pick(i, "act", ACTIONS, k)
            obj = self._pick(i, "obj", OBJECTS, k)
            place = self._pick(i, "place", PLACES, k)
            count = 3 + stable_int(self.seed, "count", i, k, digits=3) % 180
            closer = self._pick(i, "close", CLOSERS, k)
            sentence = (
                f"{subj} RT {1 + (i + k) % 12:02d} {act} {count} {obj} di {place} Kelurahan {kel}. "
                f"{_babble(self.seed, i, k)} {closer}"
            )
            paras.append(sentence)
        paras[0] = f"{dateline} {paras[0]}"
        return paras

    def handle(self, request: Request) -> Response:
        path = request.path
        if path in ("/", "/berita", "/berita/"):
            return self.listing(request.int_arg("page", 1, -1))
        if path.startswith("/artikel/"):
            parts = path.split("/")
            if len(parts) >= 4 and parts[2].isdigit():
                i = int(parts[2])
                if 1 <= i <= self.n and parts[3] == self.slug(i):
                    return self.article(i)
        return text("<h1>404</h1>", status=404)

    def listing(self, page: int) -> Response:
        pages = max(1, -(-self.n // PAGE_SIZE))
        if page < 1 or page > pages:
            return text("<h1>404</h1>", status=404)
        first = self.n - (page - 1) * PAGE_SIZE  # newest first
        ids = range(first, max(0, first - PAGE_SIZE), -1)
        rows = "".join(
            f"<div class='berita-item'><h3 class='judul'><a href='{self.url(self.path(i))}'>"
            f"{escape(self.title(i))}</a></h3><span class='tanggal'>{gov_list_date(self.published(i))}</span></div>"
            for i in ids
        )
        nav = ""
        if page < pages:
            nav = f"<ul class='pagination'><li><a rel='next' class='next' href='{self.url(f'/berita?page={page + 1}')}'>Selanjutnya</a></li></ul>"
        body = (
            "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>Berita | Skala</title></head>"
            f"<body><div class='top-bar'>{long_date(FAKE_NOW)}</div><div class='berita-list'>{rows}</div>{nav}</body></html>"
        )
        return html(body, last_modified=self.published(first))

    def article(self, i: int) -> Response:
        when = self.published(i)
        paras = "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs(i))
        body = (
            f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{escape(self.title(i))}</title></head>"
            f"<body><div class='top-bar'>{long_date(FAKE_NOW)}</div><div class='berita-detail'>"
            f"<h1 class='judul-berita'>{escape(self.title(i))}</h1><div class='info-berita'>"
            f"<span class='penulis'>Humas</span> | <span class='tanggal'>{long_date(when)}</span></div>"
            f"<div class='isi-berita'>{paras}</div></div></body></html>"
        )
        return html(body, last_modified=when)

    def info(self) -> SiteInfo:
        return SiteInfo(self.host, self.name, "news", "gov", "Skala", [self.url("/berita")])

    def selectors(self) -> dict[str, object]:
        return {
            "listing_links": "div.berita-list h3.judul a",
            "next_page": "ul.pagination a[rel=next]",
            "title": "h1.judul-berita",
            "date": "div.info-berita span.tanggal",
            "author": "div.info-berita span.penulis",
            "body": "div.isi-berita",
            "drop": ["script"],
        }

    def manifest_records(self) -> list[ManifestRecord]:
        return [
            ManifestRecord(
                url=self.url(self.path(i)),
                kind="article",
                platform="generic",
                site=self.host,
                title=self.title(i),
                author="Humas",
                published=self.published(i).isoformat(),
                text="\n\n".join(self.paragraphs(i)),
                topic="kampung-tangguh",
                native_id=str(i),
                published_shown=self.published(i).date().isoformat(),
            )
            for i in range(self.n, 0, -1)
        ]
