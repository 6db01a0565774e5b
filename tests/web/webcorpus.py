"""A small stored corpus for the web tests: posts, a thread with replies, a syndicated copy,
a hostile document, and a judged contest; indexed with the deterministic hashing encoder."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from search.encoder import HashingEncoder
from search.index import update_index
from store import judging
from store.db import open_database
from tangguh.cli import app
from tangguh.cmd_search import index_docs

ENCODER_DIM = 128
POST = "https://warga.blogspot.com/2020/06/lumbung-pangan.html"
HOSTILE = "https://jahat.example.id/2020/07/serangan.html"
COPY_OF = "https://blitarkota.example.go.id/berita/posko"
SCRIPT = "<script>window.__pwned=1</script>"
ONERROR = "<img src=x onerror=window.__pwned=2>"
JS_URL = "javascript:window.__pwned=3"

RELEASE = (
    "Wali Kota meresmikan posko Kampung Tangguh Semeru di Kelurahan Bendo. Posko menyiapkan "
    "ruang isolasi, dapur umum dan lumbung pangan yang dijaga warga bersama Babinsa dan "
    "Bhabinkamtibmas. Warga diminta memakai masker dan melapor bila ada pendatang. "
) * 3


def records() -> list[dict]:
    out = [
        {
            "url": POST,
            "kind": "post",
            "platform": "blogger",
            "title": "Lumbung pangan RW 05",
            "author": "Rina",
            "published_at": "2020-06-15T10:21:00+07:00",
            "text": "Warga Kampung Tangguh Semeru membangun lumbung pangan untuk keluarga yang "
            "menjalani isolasi mandiri.\nSetiap pagi relawan mengantar beras dan sayur.",
        },
        {
            "url": POST + "?showComment=1592191260000#c1",
            "kind": "comment",
            "author": "Dimas",
            "published_at": "2020-06-15T11:00:00+07:00",
            "parent_url": POST,
            "text": "Keren sekali, semoga lumbung pangan menular ke kampung lain.",
        },
        {
            "url": POST + "?showComment=1592194860000#c2",
            "kind": "comment",
            "author": "Rina",
            "published_at": "2020-06-15T12:00:00+07:00",
            "parent_url": POST,
            "reply_to": POST + "?showComment=1592191260000#c1",
            "text": "Terima kasih Mas Dimas, balasan untuk komentar pertama.",
        },
        {
            "url": COPY_OF,
            "kind": "article",
            "platform": "generic",
            "title": "Posko diresmikan",
            "published_at": "2020-06-16T09:00:00+07:00",
            "text": RELEASE,
        },
        {
            "url": "https://portal.example.id/read/1/posko",
            "kind": "article",
            "platform": "generic",
            "title": "Posko diresmikan (salinan)",
            "published_at": "2020-06-17T09:00:00+07:00",
            "text": RELEASE,
        },
        {
            "url": HOSTILE,
            "kind": "post",
            "platform": "wordpress",
            "title": f"Serangan {SCRIPT} {ONERROR}",
            "author": f"{ONERROR}",
            "published_at": "2020-07-02",
            "published_raw": SCRIPT,
            "text": f"Kampung Tangguh {SCRIPT} lumbung {ONERROR} pangan {JS_URL} dan posko.",
        },
    ]
    for i in range(30):  # enough documents for a second page of results and a few months
        month = 6 + i % 6
        out.append(
            {
                "url": f"https://berita{i % 4}.example.id/{i}",
                "kind": "article",
                "platform": "generic",
                "title": f"Berita kampung tangguh {i}",
                "published_at": f"2020-{month:02d}-{1 + i % 27:02d}",
                "text": f"Berita nomor {i} tentang Kampung Tangguh dan lumbung pangan warga desa.",
            }
        )
    return out  # fmt: skip


def contest_record(url: str, row: int, eligible: bool, fails: list[str], flags=()) -> dict:
    checks = {
        "reachable": {"passed": True, "evidence": "dapat diakses, HTTP 200"},
        "window": {"passed": "window" not in fails,
                   "evidence": "terbit 29 Juni 2020 00.30 WIB, setelah batas" if "window" in fails
                   else "terbit 25 Juni 2020 10.00 WIB (dalam periode lomba)"},
        "min_words": {"passed": "min_words" not in fails, "evidence": "412 kata"},
    }  # fmt: skip
    return {
        "url": url, "row": row, "name": f"Peserta {row}", "email": f"p{row}@mail.test",
        "eligible": eligible, "word_count": 412, "published_at": "2020-06-25T10:00:00+07:00",
        "fails": fails, "flags": list(flags), "number": row - 1 if eligible else None,
        "title": f"Entri {row}", "checks": checks, "snapshot": {"sha256": None},
    }  # fmt: skip


def build(tmp: Path) -> tuple[str, Path]:
    """The database URL and the index folder of the corpus."""
    db_url = f"sqlite:///{tmp / 'web.db'}"
    path = tmp / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records()), encoding="utf-8")
    result = CliRunner().invoke(app, ["--db", db_url, "import", str(path)])
    assert result.exit_code == 0, result.output
    db = open_database(db_url)
    index_dir = tmp / "web.index"
    update_index(index_docs(db), index_dir, encoder=HashingEncoder(ENCODER_DIM), progress=False)
    info = {"name": "Lomba <b>Uji</b>", "timezone": "Asia/Jakarta",
            "opens": "2020-06-24T00:00:00+07:00", "closes": "2020-06-28T23:59:59+07:00",
            "rules": ["reachable", "window", "min_words"], "input_problems": []}  # fmt: skip
    entries = [
        contest_record("https://a.example.id/1", 2, True, []),
        contest_record("https://b.example.id/2", 3, False, ["window"]),
        contest_record("https://c.example.id/3", 4, True, [], flags=["edited_after_close"]),
    ]
    blind = {"https://a.example.id/1": ("Entri 1", "Teks tanpa identitas [disamarkan].")}
    with db.write() as session:
        judging.record_judging(
            session, info, entries, blind=blind, reports={"csv": b"Baris,Hasil\n2,LOLOS\n"}
        )
    db.dispose()
    return db_url, index_dir
