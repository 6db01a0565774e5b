"""Indonesian names of the rules and verdicts, shared by the CSV, XLSX and console output."""

from __future__ import annotations

RULE_LABELS = {
    "reachable": "Dapat diakses",
    "window": "Periode terbit",
    "min_words": "Jumlah kata minimal",
    "max_words": "Jumlah kata maksimal",
    "required_keywords": "Kata kunci",
    "required_hashtags": "Tagar",
    "required_links": "Tautan wajib",
    "min_images": "Gambar",
    "platforms": "Platform",
    "one_entry_per": "Satu entri per peserta",
    "max_similarity": "Orisinalitas",
}
FLAG_LABELS = {
    "edited_after_close": "diubah setelah batas waktu",
    "hidden_text": "ada teks tersembunyi",
    "manual_check": "tautan/gambar perlu cek manual",
    "declared_elsewhere": "halaman menyebut alamat di host lain (salinan? perlu dilihat)",
}
ELIGIBLE = "LOLOS"
NOT_ELIGIBLE = "TIDAK LOLOS"
NOT_JUDGED = "TIDAK DINILAI"


def passed_label(passed: bool | None) -> str:
    return {True: "lulus", False: "gagal", None: "-"}[passed]
