"""Benchmark duplicate detection at 10k, 30k and 100k synthetic documents.

Run: `.venv/bin/python -m bench.dedup [--sizes 10000,30000,100000] [--seed 0]`

Each size runs in a fresh child process, so the peak resident memory printed is that
size's alone. The synthetic corpus looks like ours: Indonesian-like articles (Zipf-
distributed vocabulary, 10-20 sentences in paragraphs), 30% comments (short generic
ones included), 8% syndicated near-copies of an earlier article (dateline, credit,
`Baca juga` line, a sentence dropped, two swapped), 2% exact copies re-wrapped, and a
tenth of the copies dated before their original (exercising group repointing).

Printed per size: detector-only throughput (time inside `check_and_add`), throughput of
an exact-hash-only baseline measured on the same documents in the same process, peak
RSS, index bytes, how many injected copies were found (recall on the synthetic set) and
how many documents were put in a group they were not copied into (false matches).
Near-linear growth shows as a per-document time ratio close to 1 between sizes.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from pipelines.dedup import DedupRecord, DuplicateDetector, content_hash

_REAL_WORDS = """
kampung tangguh semeru warga posko lumbung pangan isolasi mandiri relawan kelurahan desa
kecamatan kabupaten kota polres polda kapolda kapolres bhabinkamtibmas babinsa gubernur
bupati wali camat lurah kepala rt rw pkk karang taruna puskesmas bidan dokter masker
sabun tangan jarak protokol kesehatan pandemi covid virus corona penularan kasus positif
sembuh bantuan sembako beras minyak telur sayur dapur umum makanan nasi bungkus gotong
royong jogo tonggo ronda malam portal gang pintu masuk suhu tubuh data pendatang pemudik
sekolah pasar masjid musala balai pertemuan lomba blogger tulisan juri hadiah pemenang
program kegiatan pelatihan kader pelacakan kontak vaksinasi lansia anak keluarga rumah
yang dan di ke dari untuk dengan pada ini itu juga akan telah sudah tidak ada adalah
para setiap karena agar jika saat setelah hingga bahwa mereka kami kita saya lebih
"""


@dataclass
class Generated:
    record: DedupRecord
    copy_of: int | None  # index of the original this one copies, if any


class Corpus:
    """Deterministic synthetic documents; keeps recent originals to copy from."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        real = _REAL_WORDS.split()
        syllables = ["ba", "ka", "ma", "la", "ra", "sa", "ta", "na", "ja", "ga", "wi", "ngu", "pe"]
        fake = sorted(
            {
                "".join(self.rng.choice(syllables, size=int(self.rng.integers(2, 5))))
                for _ in range(40000)
            }
        )
        self.vocab = np.array(real + fake, dtype=object)
        ranks = np.arange(1, len(self.vocab) + 1, dtype=np.float64)
        weights = 1.0 / ranks**1.05
        self.cdf = np.cumsum(weights / weights.sum())
        self.recent: list[tuple[int, list[str], datetime]] = []
        self.generic = [
            "Terima kasih infonya",
            "Mantap gan, sangat bermanfaat",
            "Keren, semoga sukses lombanya kak",
            "Izin share ya min",
            "Semoga kampung tangguh makin maju",
        ]
        self.start = datetime(2020, 6, 1, tzinfo=UTC)

    def _sentence(self, n: int) -> str:
        picks = np.searchsorted(self.cdf, self.rng.random(n))
        words = self.vocab[np.minimum(picks, len(self.vocab) - 1)]
        return " ".join(words).capitalize() + "."

    def _article(self) -> list[str]:
        return [
            self._sentence(int(self.rng.integers(8, 19)))
            for _ in range(int(self.rng.integers(10, 21)))
        ]

    @staticmethod
    def _paragraphs(sentences: list[str]) -> str:
        return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))

    def documents(self, n: int) -> Iterator[Generated]:
        rng = self.rng
        for i in range(n):
            when = self.start + timedelta(minutes=int(rng.integers(0, 60 * 24 * 500)))
            roll = rng.random()
            key = f"https://site{i % 97}.test/doc/{i}"
            if roll < 0.30:
                if rng.random() < 0.5:
                    text = self.generic[int(rng.integers(0, len(self.generic)))]
                else:
                    text = self._sentence(int(rng.integers(5, 26)))
                yield Generated(DedupRecord(key + "#c1", "comment", text, when, None), None)
            elif roll < 0.40 and self.recent:
                src, sentences, src_when = self.recent[int(rng.integers(0, len(self.recent)))]
                exact = roll >= 0.38
                if exact:
                    text = " ".join(sentences)  # same words, other layout
                else:
                    copy = sentences[:]
                    del copy[int(rng.integers(0, len(copy)))]
                    a, b = rng.integers(0, len(copy), size=2)
                    copy[a], copy[b] = copy[b], copy[a]
                    text = "SURABAYA, portal.test – " + self._paragraphs(copy)
                    text += "\nBaca juga: " + self._sentence(6) + "\n(hms/an)"
                shift = timedelta(hours=int(rng.integers(1, 200)))
                when = src_when - shift if rng.random() < 0.1 else src_when + shift
                yield Generated(DedupRecord(key, "article", text, when, None), src)
            else:
                sentences = self._article()
                self.recent.append((i, sentences, when))
                if len(self.recent) > 2000:
                    self.recent.pop(int(rng.integers(0, 2000)))
                text = self._paragraphs(sentences)
                yield Generated(DedupRecord(key, "article", text, when, None), None)


def run_one(n: int, seed: int) -> dict[str, float]:
    det = DuplicateDetector()
    corpus = Corpus(seed)
    spent = 0.0
    cpu = 0.0
    baseline = 0.0
    seen_hashes: set[str] = set()
    injected: dict[str, str] = {}
    keys: list[str] = []
    for doc in corpus.documents(n):
        rec = doc.record
        c0 = time.process_time()
        t0 = time.perf_counter()
        det.check_and_add(rec)
        t1 = time.perf_counter()
        cpu += time.process_time() - c0
        seen_hashes.add(content_hash(rec.text))  # baseline: exact hashing only
        baseline += time.perf_counter() - t1
        spent += t1 - t0
        keys.append(rec.key)
        if doc.copy_of is not None:
            injected[rec.key] = keys[doc.copy_of]
    found = sum(1 for k, src in injected.items() if det.root_of(k) == det.root_of(src))
    copied = set(injected) | set(injected.values())
    false = sum(1 for k in det if k not in copied and det.root_of(k) != k)
    false += sum(1 for root in det.groups() if root not in copied)
    stats = det.stats()
    return {
        "docs": n,
        "seconds": spent,
        "docs_per_s": n / spent,
        "cpu_docs_per_s": n / cpu,
        "baseline_docs_per_s": n / baseline,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "index_mb": stats["index_bytes"] / 2**20,
        "injected_copies": len(injected),
        "copies_found": found,
        "false_matches": false,
        "groups": stats["groups"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dedup", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        f"{'docs':>8} {'docs/s':>8} {'cpu/s':>7} {'hash-only/s':>11} {'peak RSS':>9} "
        f"{'index':>8} {'copies found':>13} {'false':>6} {'us/doc':>7} {'ratio':>6}"
    )
    first_cost = None
    for n in sizes:
        out = subprocess.run(
            [sys.executable, "-m", "bench.dedup", "--one", str(n), "--seed", str(args.seed)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        cost = 1e6 / r["cpu_docs_per_s"]
        first_cost = first_cost or cost
        print(
            f"{n:>8} {r['docs_per_s']:>8.0f} {r['cpu_docs_per_s']:>7.0f} "
            f"{r['baseline_docs_per_s']:>11.0f} "
            f"{r['peak_rss_mb']:>7.0f}MB {r['index_mb']:>6.1f}MB "
            f"{r['copies_found']:>6}/{r['injected_copies']:<6} {r['false_matches']:>6} "
            f"{cost:>7.0f} {cost / first_cost:>6.2f}"
        )
    print(
        "docs/s: wall time inside check_and_add; cpu/s: the same in process CPU time (steadier "
        "on a shared machine); hash-only/s: exact-hash baseline on the same documents; "
        "us/doc: CPU time per document; ratio: us/doc relative to the first size (1.0 = linear)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
