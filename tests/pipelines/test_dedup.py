"""Duplicate detection: labelled fixtures, group roots, incremental behaviour, rebuilds."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from pipelines.dedup import (
    DedupConfig,
    DedupRecord,
    DuplicateDetector,
    content_hash,
    normalise_text,
    strip_boilerplate,
)
from pipelines.dedup_index import BandIndex
from pipelines.dedup_minhash import MinHasher, Signature

FIXTURES = Path(__file__).parent / "fixtures" / "dedup"


@dataclass(frozen=True)
class Doc:
    name: str
    key: str
    kind: str
    published: datetime
    group: str | None
    note: str
    text: str

    def record(self, **changes) -> DedupRecord:
        rec = DedupRecord(self.key, self.kind, self.text, self.published, None)
        return replace(rec, **changes)


def load_fixtures() -> list[Doc]:
    docs = []
    for path in sorted(FIXTURES.glob("*.txt")):
        head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        meta = {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in head.splitlines())}
        docs.append(
            Doc(
                name=path.stem,
                key=meta["key"],
                kind=meta["kind"],
                published=datetime.fromisoformat(meta["published"]),
                group=meta["group"] or None,
                note=meta["note"],
                text=body,
            )
        )
    return docs


DOCS = load_fixtures()


def true_pairs(docs: list[Doc]) -> set[frozenset[str]]:
    groups: dict[str, list[str]] = {}
    for doc in docs:
        if doc.group:
            groups.setdefault(doc.group, []).append(doc.key)
    return {frozenset(p) for keys in groups.values() for p in itertools.combinations(keys, 2)}


def predicted_pairs(det: DuplicateDetector) -> set[frozenset[str]]:
    pairs = set()
    for root, members in det.groups().items():
        pairs |= {frozenset(p) for p in itertools.combinations([root, *members], 2)}
    return pairs


def run(docs: list[Doc]) -> DuplicateDetector:
    det = DuplicateDetector()
    for doc in docs:
        det.check_and_add(doc.record())
    return det


def partition(det: DuplicateDetector) -> dict[str, str]:
    return {key: det.root_of(key) for key in det}


# ---------------------------------------------------------------- the labelled set


def test_fixture_set_is_big_and_varied_enough() -> None:
    assert len(DOCS) >= 40
    assert len({d.key for d in DOCS}) == len(DOCS)
    assert sum("hard negative" in d.note for d in DOCS) >= 10
    groups = {d.group for d in DOCS if d.group}
    assert {"pr-blitar", "pr-polda", "entry-copied", "paraphrase", "exact-copy", "spam"} <= groups
    assert sum(d.kind == "comment" and not d.group for d in DOCS) >= 8


def test_pairwise_precision_and_recall_on_the_labelled_set() -> None:
    det = run(sorted(DOCS, key=lambda d: d.published))
    truth, got = true_pairs(DOCS), predicted_pairs(det)
    tp = len(truth & got)
    precision = tp / len(got) if got else 1.0
    recall = tp / len(truth)
    wrong = sorted(tuple(sorted(p)) for p in got - truth)
    missed = sorted(tuple(sorted(p)) for p in truth - got)
    print(f"pairs: truth={len(truth)} predicted={len(got)} P={precision:.3f} R={recall:.3f}")
    assert precision >= 0.95, f"false pairs: {wrong}"
    assert recall >= 0.95, f"missed pairs: {missed}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_groups_do_not_depend_on_arrival_order(seed: int) -> None:
    reference = partition(run(sorted(DOCS, key=lambda d: d.published)))
    shuffled = DOCS[:]
    random.Random(seed).shuffle(shuffled)
    assert partition(run(shuffled)) == reference


def test_every_group_root_is_its_earliest_published_member() -> None:
    shuffled = DOCS[:]
    random.Random(7).shuffle(shuffled)
    det = run(shuffled)
    published = {d.key: d.published for d in DOCS}
    assert det.groups()
    for root, members in det.groups().items():
        assert all(published[root] <= published[m] for m in members)
        assert all(det.duplicate_of(m) == root for m in members)
        assert det.duplicate_of(root) is None


def test_same_topic_independent_stories_are_not_duplicates() -> None:
    det = run(DOCS)
    for doc in DOCS:
        if "hard negative" in doc.note:
            assert det.duplicate_of(doc.key) is None, doc.name
            assert doc.key not in det.groups(), doc.name


# ---------------------------------------------------------------- comments


GENERIC = [
    "Terima kasih infonya",
    "Terima kasih infonya",
    "terima kasih infonya min 🙏",
    "Mantap gan",
    "mantap gan!!",
    "Makasih infonya kak, sangat bermanfaat sekali",
    "Makasih infonya kak, sangat bermanfaat sekali",
    "Keren, semoga sukses lombanya kak. Salam kenal dari Kediri ya",
    "Keren, semoga sukses lombanya kak. Salam kenal dari Kediri ya",
    "Wah keren banget mbak, terima kasih sudah berbagi informasi yang sangat bermanfaat ini ya",
    "Wah keren banget mbak, terima kasih sudah berbagi informasi yang sangat bermanfaat ini ya",
]


def test_short_generic_comments_are_never_duplicates_even_when_identical() -> None:
    det = DuplicateDetector()
    t0 = datetime(2020, 6, 25, tzinfo=UTC)
    for i, text in enumerate(GENERIC):
        verdict = det.check_and_add(
            DedupRecord(f"https://b{i}.test/p.html#c{i}", "comment", text, t0 + timedelta(i), None)
        )
        assert verdict.duplicate_of is None and verdict.method == "", text
    assert det.groups() == {}


def test_long_spam_comment_repeats_are_exact_duplicates() -> None:
    spam = [d for d in DOCS if d.group == "spam"]
    det = run(sorted(spam, key=lambda d: d.published))
    first = min(spam, key=lambda d: d.published).key
    assert det.groups() == {first: sorted((d.key for d in spam if d.key != first), key=str)}
    copy = next(d for d in spam if d.key != first)
    verdict = det.check_and_add(copy.record())  # re-check: unchanged
    assert (verdict.method, verdict.duplicate_of, verdict.similarity) == ("exact", first, 1.0)


# ---------------------------------------------------------------- incremental behaviour


def _pr(name: str) -> Doc:
    return next(d for d in DOCS if d.name == name)


def test_a_late_crawled_original_becomes_root_and_repoints_the_copies() -> None:
    original, copy1, copy2 = (
        _pr("pr_blitar_1_blitarkota"),
        _pr("pr_blitar_2_kominfo"),
        _pr("pr_blitar_3_portal"),
    )
    det = DuplicateDetector()
    assert det.check_and_add(copy1.record()).duplicate_of is None
    assert det.check_and_add(copy2.record()).duplicate_of == copy1.key
    verdict = det.check_and_add(original.record())
    assert verdict.duplicate_of is None
    assert verdict.method == "near" and verdict.similarity >= 0.8
    assert verdict.repoint == {copy1.key: original.key, copy2.key: original.key}
    assert det.groups() == {original.key: [copy1.key, copy2.key]}


def test_rechecking_a_stored_document_changes_nothing() -> None:
    det = run(DOCS)
    before = partition(det)
    copy = _pr("pr_polda_2_memorandum")
    first = det.check_and_add(copy.record())
    again = det.check_and_add(copy.record())
    assert first == again
    assert first.duplicate_of == _pr("pr_polda_1_tribratanews").key and first.repoint == {}
    assert partition(det) == before
    assert len(det) == len(DOCS)


def test_a_changed_text_is_rechecked_and_a_removed_root_hands_over() -> None:
    det = run(DOCS)
    root, copy2, copy3 = (
        _pr("pr_polda_1_tribratanews"),
        _pr("pr_polda_2_memorandum"),
        _pr("pr_polda_3_portal_newlead"),
    )
    withdrawn = "Rilis ini ditarik oleh Bidang Humas karena memuat data yang belum diverifikasi."
    verdict = det.check_and_add(root.record(text=withdrawn))
    # The old root left the group: the earliest remaining copy is the new root.
    assert verdict.repoint == {copy2.key: None, copy3.key: copy2.key}
    assert det.duplicate_of(copy3.key) == copy2.key
    assert det.duplicate_of(copy2.key) is None
    assert det.duplicate_of(root.key) is None  # its new text copies nothing earlier


def test_remove_member_and_unknown_key() -> None:
    det = run(DOCS)
    copy = _pr("exact_2_aggregator")
    assert det.remove(copy.key) == {}
    assert copy.key not in det
    assert _pr("exact_1_original").key not in det.groups()
    assert det.remove("https://nowhere.test/") == {}


def test_undated_documents_are_ordered_by_first_seen() -> None:
    original, copy = _pr("exact_1_original"), _pr("exact_2_aggregator")
    t = datetime(2026, 11, 28, tzinfo=UTC)
    det = DuplicateDetector()
    det.check_and_add(copy.record(published_utc=None, first_seen=t + timedelta(hours=1)))
    verdict = det.check_and_add(original.record(published_utc=None, first_seen=t))
    assert verdict.repoint == {copy.key: original.key}
    assert verdict.method == "exact" and verdict.similarity == 1.0


def test_similar_reports_matches_without_adding() -> None:
    det = run(DOCS)
    entry = _pr("entry_copied_1_original")
    matches = det.similar(entry.text)
    keys = [m.key for m in matches]
    assert entry.key in keys and _pr("entry_copied_2_newintro").key in keys
    assert len(det) == len(DOCS)
    assert det.similar("Terima kasih infonya") == []


# ---------------------------------------------------------------- rebuild from the store


def test_from_records_recomputes_the_same_groups_whatever_the_row_order() -> None:
    reference = partition(run(sorted(DOCS, key=lambda d: d.published)))
    rows = [d.record() for d in reversed(DOCS)]
    rebuilt = DuplicateDetector.from_records(rows)
    assert partition(rebuilt) == reference


def test_from_records_reuses_persisted_signatures() -> None:
    det = DuplicateDetector()
    rows = [d.record(signature=det.signature_bytes(d.text), text="") for d in DOCS]
    rebuilt = DuplicateDetector.from_records(rows)  # no text: only the signatures can match
    assert partition(rebuilt) == partition(run(sorted(DOCS, key=lambda d: d.published)))


def test_from_records_restores_stored_groups_as_they_are() -> None:
    det = run(DOCS)
    rows = [d.record(duplicate_of=det.duplicate_of(d.key)) for d in DOCS]
    restored = DuplicateDetector.from_records(rows)
    assert restored.groups() == det.groups()
    copy = _pr("exact_2_aggregator")
    verdict = restored.check_and_add(copy.record())
    assert verdict.method == "exact" and verdict.duplicate_of == _pr("exact_1_original").key


def test_foreign_or_corrupt_signatures_are_recomputed_from_text() -> None:
    det = DuplicateDetector()
    sig = det.signature_bytes(DOCS[0].text)
    assert Signature.from_bytes(sig, 128) is not None
    assert Signature.from_bytes(b"garbage", 128) is None
    assert Signature.from_bytes(sig, 64) is None
    assert Signature.from_bytes(sig, 128, shingle=4) is None  # made with 3-word shingles
    older = sig[:4] + bytes([sig[4] - 1]) + sig[5:]
    assert Signature.from_bytes(older, 128) is None
    rows = [d.record(signature=b"garbage") for d in DOCS]
    assert partition(DuplicateDetector.from_records(rows)) == partition(
        DuplicateDetector.from_records([d.record() for d in DOCS])
    )


def test_signature_is_stable_across_detectors() -> None:
    text = _pr("pr_khofifah_1_jatimprov").text
    assert DuplicateDetector().signature_bytes(text) == DuplicateDetector().signature_bytes(text)


# ---------------------------------------------------------------- text helpers


def test_normalise_text_and_content_hash_ignore_layout_case_and_typography() -> None:
    a = 'Warga menjaga warga, "tetangga menjaga tetangga."\nIbu-ibu PKK   ikut.'
    b = "warga menjaga warga “TETANGGA menjaga tetangga” ibu‑ibu pkk ikut"
    assert normalise_text(a) == "warga menjaga warga tetangga menjaga tetangga ibu ibu pkk ikut"
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(a.replace("ikut", "hadir"))
    assert len(content_hash(a)) == 64


@pytest.mark.parametrize(
    ("first_line", "kept"),
    [
        ("SURABAYA, beritajatim.com – Wali Kota meluncurkan program.", "Wali Kota"),
        ("Blitar Kota - Selasa, (16/06/2020), Wali Kota meluncurkan program.", "Wali Kota"),
        ("SURABAYA (Kominfo Jatim) - Wali Kota meluncurkan program.", "Wali Kota"),
        ("Sidoarjo, Kominfo Jatim – Gubernur meninjau kampung itu.", "Gubernur"),
        ("TRIBUNJATIM.COM, MALANG - Polres membentuk kampung baru.", "Polres"),
        ("Jakarta, CNN Indonesia -- Kapolri meminta posko diperkuat.", "Kapolri"),
        ("Surabaya (ANTARA) - Gubernur meminta posko diperkuat.", "Gubernur"),
        ("Liputan6.com, Jakarta - Pemerintah meminta warga disiplin.", "Pemerintah"),
        ("detikJatim - Warga Sawahan membentuk lumbung pangan.", "Warga"),
        ("merdeka.com - Pemerintah meminta warga tetap disiplin.", "Pemerintah"),
        ("ini - itu adalah contoh kalimat biasa yang panjang.", "ini - itu"),
        ("Kami datang. Lalu - seperti biasa - rapat dimulai di balai.", "Kami datang"),
        ("Warga RW 03 yang tinggal di gang sempit itu - semuanya - ikut ronda.", "Warga RW"),
    ],
)
def test_strip_boilerplate_removes_datelines_only(first_line: str, kept: str) -> None:
    assert strip_boilerplate(first_line + "\nParagraf kedua.").startswith(kept)


def test_strip_boilerplate_removes_links_credits_and_share_lines() -> None:
    text = "\n".join(
        [
            "Laporan Wartawan Tribunjatim.com, Luhur Pambudi",
            "Judul Berita Tanpa Titik",
            "BLITAR - Warga membentuk lumbung pangan di balai RW, Selasa (16/6/2020).",
            "Baca juga: Kapolda Tinjau Kampung Tangguh",
            "BACA JUGA : Sepuluh Hal tentang Kampung Tangguh",
            "Relawan mengantar makanan setiap sore. (Humas/an)",
            "Editor: Rahmat Hidayat",
            "Sumber: blitarkota.go.id",
            "Foto: Dok. Humas",
            "Bagikan artikel ini: Facebook Twitter WhatsApp",
            "Kirimkan Ini lewat Email BlogThis! Berbagi ke Twitter Berbagi ke Facebook",
            "Artikel ini telah tayang di Tribunjatim.com dengan judul Warga Bentuk Lumbung",
            'Simak Video "Kampung Tangguh di Blitar"',
            "Diposting oleh Susi pada 10.15",
            "#KampungTangguhSemeru #AyoJogoJatim",
            "(fdn/rls)",
        ]
    )
    out = strip_boilerplate(text)
    assert out.splitlines() == [
        "Warga membentuk lumbung pangan di balai RW,  .",
        "Relawan mengantar makanan setiap sore.",
    ]


def test_strip_boilerplate_keeps_ordinary_text() -> None:
    text = "Kami bagikan beras.\nWarga datang (sekitar 40 keluarga) ke balai.\nSemoga bermanfaat."
    assert strip_boilerplate(text) == text
    story = [
        "Sumber daya manusia menjadi kunci keberhasilan program ini.",
        "Foto bersama dilakukan setelah acara selesai di balai desa.",
        "Lihat juga bagaimana warga " + "bergotong royong membangun posko bersama " * 6 + ".",
    ]
    assert strip_boilerplate("\n".join(story)) == "\n".join(story)


# ---------------------------------------------------------------- index internals


def test_band_index_finds_everything_across_flushes_and_merges() -> None:
    index = BandIndex(bands=8, rows=2, buffer_docs=5, table_min_keys=64)  # many runs, merges
    hasher = MinHasher(num_perm=16)
    rng = np.random.default_rng(0)
    keys = {}
    for slot in range(300):
        words = [f"w{x}" for x in rng.integers(0, 5000, size=20)]
        keys[slot] = index.keys(hasher.minhash(hasher.shingles(words)))
        index.add(slot, keys[slot])
    assert len(index._runs) <= 10  # geometric merging keeps O(log n) runs
    for slot, k in keys.items():
        assert slot in index.query(k).tolist()


def test_lookups_touch_few_candidates_not_every_document() -> None:
    """Sub-linear lookup: distinct documents share almost no LSH buckets."""
    det = DuplicateDetector()
    rng = np.random.default_rng(1)
    vocab = [f"kata{i}" for i in range(20000)]
    probes = []
    for i in range(2000):
        text = " ".join(vocab[j] for j in rng.integers(0, len(vocab), size=120))
        det.check_and_add(DedupRecord(f"https://s.test/{i}", "article", text, None, None))
        if i % 100 == 0:
            probes.append(text + " tambahan")
    total = 0
    for text in probes:
        sig = det._prepare(text)
        total += len(det._index.query(det._index.keys(sig.minhash)))
    assert total / len(probes) < 5  # the probe itself (a near copy) plus rare collisions


def test_config_rejects_impossible_banding() -> None:
    with pytest.raises(ValueError):
        DedupConfig(num_perm=64, bands=64, rows=2)


# ---------------------------------------------------------------- the sample web's corpus

CORPUS = Path(__file__).parents[2] / "tangguh" / "sampleweb" / "corpus"


def _corpus_documents() -> tuple[list[DedupRecord], set[frozenset[str]]]:
    """Every post, article and comment of the sample web, plus the pairs meant as copies."""
    import json

    records, groups = [], {}
    for path in sorted(CORPUS.glob("*/*.json")):
        site = json.loads(path.read_text(encoding="utf-8"))
        for doc in site.get("posts", []) + site.get("articles", []):
            key = f"http://{site['host']}/{doc['slug']}"
            lines = [
                doc.get("lead_dateline") or "",
                *doc["paragraphs"],
                " ".join(doc.get("hashtags", [])),
            ]
            published = datetime.fromisoformat(doc["published"])
            records.append(DedupRecord(key, "post", "\n".join(lines), published, None))
            if doc.get("syndicated_group"):
                groups.setdefault(doc["syndicated_group"], []).append(key)
            for c in doc.get("comments", []):
                when = datetime.fromisoformat(c["published"])
                records.append(DedupRecord(f"{key}#{c['id']}", "comment", c["text"], when, None))
    contest = json.loads((CORPUS / "contest.json").read_text(encoding="utf-8"))
    by_entry = {e["entry"]: f"http://{e['host']}/{e['slug']}" for e in contest["entries"]}
    pairs = {frozenset(p) for keys in groups.values() for p in itertools.combinations(keys, 2)}
    for entry in contest["entries"]:
        target = entry["expected"].get("similar_to")
        if target:
            pairs.add(frozenset((by_entry[entry["entry"]], by_entry[target])))
    return records, pairs


@pytest.mark.skipif(not (CORPUS / "contest.json").exists(), reason="sample-web corpus not written")
def test_sample_web_corpus_copies_are_found_and_nothing_else() -> None:
    """Text written by someone else, labelled by its author: syndicated release, copied entry."""
    records, expected = _corpus_documents()
    det = DuplicateDetector.from_records(records)
    got = predicted_pairs(det)
    assert expected, "the corpus labels no copies"
    assert expected <= got, f"missed: {sorted(map(sorted, expected - got))}"
    assert len(got - expected) <= 1, f"false pairs: {sorted(map(sorted, got - expected))}"


def test_exact_twins_share_one_index_entry_and_hand_it_over_on_removal() -> None:
    original, copy = _pr("exact_1_original"), _pr("exact_2_aggregator")
    near = _pr("paraphrase_1_original")
    det = DuplicateDetector()
    det.check_and_add(original.record())
    det.check_and_add(copy.record())
    det.remove(original.key)
    # The surviving twin is still reachable by near-duplicate lookup (only via the index).
    edited = copy.text.replace("Terima kasih kepada semua warga", "Terima kasih warga")
    verdict = det.check_and_add(
        DedupRecord("https://x.test/edited", "post", edited, near.published, None)
    )
    assert (verdict.method, verdict.matched) == ("near", copy.key)


def test_a_wave_of_identical_spam_stays_one_group() -> None:
    spam = _pr("spam_1").text
    det = DuplicateDetector()
    t0 = datetime(2020, 7, 1, tzinfo=UTC)
    for i in range(300):
        det.check_and_add(DedupRecord(f"https://b.test/p{i}#c1", "comment", spam, t0, None))
    assert len(det.groups()) == 1
    assert len(det.groups()["https://b.test/p0#c1"]) == 299


def test_an_edited_root_that_still_matches_stays_root() -> None:
    det = run(DOCS)
    root = _pr("pr_khofifah_1_jatimprov")
    copy = _pr("pr_khofifah_2_kominfo")
    edited = root.text.replace("(ADV)", "Diperbarui pukul 18.00 WIB.")
    verdict = det.check_and_add(root.record(text=edited))
    assert verdict.duplicate_of is None
    assert verdict.repoint == {copy.key: root.key}  # net effect: unchanged
    assert det.groups()[root.key] == [copy.key]


def test_a_verdict_carries_the_content_hash_of_its_text() -> None:
    """The chain stores `verdict.content_hash` instead of hashing the text a second time."""
    det = DuplicateDetector()
    text = "Warga RW 05 membangun posko Kampung Tangguh Semeru di balai desa."
    rec = DedupRecord(key="u1", kind="post", text=text, published_utc=None, first_seen=None)
    assert det.check_and_add(rec).content_hash == content_hash(text)
    assert det.check_and_add(rec).content_hash == content_hash(text)  # a re-check
