"""Write what `judge run` decided: for scripts, for the committee, and for the judges.

Out directory:
- `report.json`: a list, one object per judged entry (`url`, `eligible`, `word_count`,
  `published_at`, `fails`, `checks` with `passed`/`evidence`, plus snapshot and identity);
- `report.csv` / `report.xlsx`: one row per entry in Indonesian, with each rule's verdict and
  evidence, and the rows of the form that could not be judged; the XLSX adds a sheet
  "Keterangan" with the counting rule, the window and the input problems;
- `run.json`: contest, time, counting rule, input problems (for `recheck` and audits);
- `snapshots/`: what was judged, per entry (body HTML, text, comments, sha256, fetch time);
- `blind/`: the blind-reading pack (eligible entries' text without author, blog or URL,
  numbered) and `blind-key.csv`, the committee's key from number to entry (not for judges);
- `score-sheet.xlsx`: the sheet each judge fills (see `scoresheet`).
"""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .contest import Contest
from .entries import Problem
from .idfmt import date_id, datetime_id
from .labels import ELIGIBLE, FLAG_LABELS, NOT_ELIGIBLE, NOT_JUDGED, RULE_LABELS, passed_label
from .rules import Verdict, published_iso
from .scoresheet import cell_text, write_score_sheet
from .text import WORD_RULE

_GREEN = PatternFill("solid", fgColor="C6EFCE")
_RED = PatternFill("solid", fgColor="FFC7CE")
_GREY = PatternFill("solid", fgColor="EDEDED")


def snapshot_name(v: Verdict) -> str:
    return f"snapshots/baris-{v.entry.row:04d}.json"


def assign_numbers(contest: Contest, verdicts: list[Verdict]) -> None:
    """Blind numbers for eligible entries, in an order that does not follow the form rows.

    Sorting by a hash of (contest, URL) gives numbers that are stable across re-runs but do
    not reveal who submitted first (which a judge might know).
    """
    eligible = [v for v in verdicts if v.eligible]
    eligible.sort(key=lambda v: hashlib.sha256(f"{contest.name}\n{v.entry.url}".encode()).digest())
    for number, v in enumerate(eligible, start=1):
        v.number = number


def verdict_record(v: Verdict, contest: Contest) -> dict[str, Any]:
    f = v.fetched
    checks = {}
    for name, check in v.checks.items():
        item: dict[str, Any] = {"passed": check.passed, "evidence": check.evidence}
        item.update(check.data)
        if name in ("min_words", "max_words"):
            item["counting_rule"] = WORD_RULE
        checks[name] = item
    return {
        "url": v.entry.url,
        "row": v.entry.row,
        "name": v.entry.name,
        "email": v.entry.email,
        "submitted_at": v.entry.submitted.isoformat() if v.entry.submitted else None,
        "eligible": v.eligible,
        "word_count": v.word_count,
        "published_at": published_iso(v, contest),
        "published_raw": f.published_raw,
        "fails": v.fails,
        "flags": v.flags,
        "number": v.number,
        "title": f.title,
        "author": f.author,
        "site": f.site,
        "platform": f.platform,
        "comment_count": len(f.comments),
        "checks": checks,
        "snapshot": {
            "final_url": f.final_url,
            "status": f.status,
            "error": f.error,
            "sha256": f.snapshot_sha256,
            "text_sha256": hashlib.sha256(f.text.encode("utf-8")).hexdigest() if f.text else None,
            "fetched_at": f.fetched_at.isoformat(),
            "file": snapshot_name(v),
            "redirects": list(f.redirects),
            "declared": dict(f.declared),
            "reason": f.reason,
        },
    }


def write_reports(
    out: Path,
    contest: Contest,
    verdicts: list[Verdict],
    problems: list[Problem],
    *,
    entries_file: str | None = None,
) -> dict[str, Path]:
    """Write every output file; returns their paths by role."""
    out.mkdir(parents=True, exist_ok=True)
    assign_numbers(contest, verdicts)
    records = [verdict_record(v, contest) for v in verdicts]
    paths = {
        "json": out / "report.json",
        "csv": out / "report.csv",
        "xlsx": out / "report.xlsx",
        "run": out / "run.json",
        "blind": out / "blind",
        "key": out / "blind-key.csv",
        "sheet": out / "score-sheet.xlsx",
    }
    _write_json(paths["json"], records)
    write_snapshots(out, verdicts)
    rows = human_rows(contest, verdicts, problems)
    write_csv(paths["csv"], rows)
    write_xlsx(paths["xlsx"], contest, rows, problems)
    _write_json(
        paths["run"],
        {
            "contest": contest.name,
            "contest_file": str(contest.path) if contest.path else None,
            "entries_file": entries_file,
            "judged_at": datetime.now(UTC).isoformat(),
            "timezone": contest.timezone,
            "opens": contest.opens.isoformat() if contest.opens else None,
            "closes": contest.closes.isoformat() if contest.closes else None,
            "rules": contest.active_rules(),
            "counting_rule": WORD_RULE,
            "entries": len(verdicts),
            "eligible": sum(v.eligible for v in verdicts),
            "input_problems": [
                {"row": p.row, "level": p.level, "message": p.message} for p in problems
            ],
        },
    )
    write_blind_pack(paths["blind"], paths["key"], contest, verdicts)
    write_score_sheet(paths["sheet"], contest, [v for v in verdicts if v.number is not None])
    return paths


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_snapshots(out: Path, verdicts: list[Verdict]) -> None:
    (out / "snapshots").mkdir(exist_ok=True)
    for v in verdicts:
        _write_json(out / snapshot_name(v), v.fetched.to_dict())


def human_rows(
    contest: Contest, verdicts: list[Verdict], problems: list[Problem]
) -> list[list[Any]]:
    """Header plus one row per entry and per unjudged form row, in Indonesian."""
    rules = contest.active_rules()
    header = ["Baris", "Nama", "Email", "URL", "Hasil", "Gagal pada", "Catatan", "Jumlah kata",
              "Terbit", "Nomor naskah", "Judul"]  # fmt: skip
    for name in rules:
        header += [RULE_LABELS[name], f"{RULE_LABELS[name]}: bukti"]
    rows: list[list[Any]] = [header]
    warnings: dict[int, list[str]] = {}
    for p in problems:
        if p.level == "warning" and p.row is not None:
            warnings.setdefault(p.row, []).append(p.message)
    for v in verdicts:
        notes = [FLAG_LABELS.get(f, f) for f in v.flags] + warnings.get(v.entry.row, [])
        row = [
            v.entry.row,
            v.entry.name or "",
            v.entry.email or "",
            v.entry.url,
            ELIGIBLE if v.eligible else NOT_ELIGIBLE,
            ", ".join(RULE_LABELS[n] for n in v.fails),
            "; ".join(notes),
            v.word_count if v.word_count is not None else "",
            _published_text(v, contest),
            v.number or "",
            v.fetched.title or "",
        ]
        for name in rules:
            check = v.checks.get(name)
            row += [passed_label(check.passed), check.evidence] if check else ["-", ""]
        rows.append(row)
    for p in problems:
        if p.level == "error":
            rows.append([p.row or "", "", "", "", NOT_JUDGED, "", p.message]
                        + [""] * (len(header) - 7))  # fmt: skip
    return rows


def _published_text(v: Verdict, contest: Contest) -> str:
    published = v.fetched.published
    if published is None:
        return ""
    if v.fetched.published_precision in ("day", "month"):
        return date_id(published, contest.tz)
    return datetime_id(published, contest.tz)


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    # utf-8-sig: Excel opens it with the right characters (Indonesian names, "…").
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([cell_text(c) for c in row] for row in rows)


def write_xlsx(
    path: Path, contest: Contest, rows: list[list[Any]], problems: list[Problem]
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Laporan"
    for row in rows:
        ws.append([cell_text(c) for c in row])
    header = rows[0]
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in range(2, ws.max_row + 1):
        verdict = ws.cell(r, 5).value
        ws.cell(r, 5).fill = _GREEN if verdict == ELIGIBLE else _RED if verdict else _GREY
        for c in range(12, len(header) + 1, 2):
            cell = ws.cell(r, c)
            cell.fill = {"lulus": _GREEN, "gagal": _RED}.get(cell.value, _GREY)
    widths = {1: 7, 2: 22, 3: 26, 4: 48, 5: 13, 6: 28, 7: 30, 8: 11, 9: 24, 10: 9, 11: 40}
    for c in range(1, len(header) + 1):
        width = widths.get(c, 48 if c % 2 else 9)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions

    info = wb.create_sheet("Keterangan")
    tz = contest.tz
    info.append(["Lomba", contest.name])
    if contest.opens:
        info.append(["Periode dibuka", datetime_id(contest.opens, tz, seconds=True)])
    if contest.closes:
        info.append(["Periode ditutup", datetime_id(contest.closes, tz, seconds=True)])
    info.append(["Zona waktu", contest.timezone])
    info.append(["Aturan hitung kata", WORD_RULE])
    info.append(
        [
            "Orisinalitas",
            "Kemiripan = bagian rangkaian 5 kata entri yang juga ada di teks lain; hanya entri "
            "yang terbit lebih akhir yang gugur.",
        ]
    )
    info.append([])
    info.append(["Masalah pada berkas entri"])
    for p in problems:
        info.append([f"baris {p.row}" if p.row else "berkas", p.message, p.level])
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 110
    wb.save(path)


# --- blind-reading pack ----------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "[disamarkan]"


def blind_text(v: Verdict) -> str:
    """The entry's text without URLs, emails, the author's name or the blog's name."""
    text = _URL.sub(REDACTED, v.fetched.text)
    text = _EMAIL.sub(REDACTED, text)
    for ident in _identities(v):
        text = re.sub(r"(?<!\w)" + re.escape(ident) + r"(?!\w)", REDACTED, text, flags=re.I)
    return text


def _identities(v: Verdict) -> list[str]:
    """Strings that would identify the entrant: full names, each name part, blog host."""
    names = [v.entry.name, v.fetched.author]
    parts = [p for n in names if n for p in re.split(r"[\s.,]+", n)]
    host = (v.fetched.site or urlsplit(v.entry.url).hostname or "").split(":")[0]
    if host:
        names.append(host)
        names.append(host.split(".")[0])  # the blog's subdomain name
    found = [n.strip() for n in [*names, *parts] if n and len(n.strip()) >= 4]
    return sorted(set(found), key=len, reverse=True)


def write_blind_pack(
    folder: Path, key_path: Path, contest: Contest, verdicts: list[Verdict]
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("naskah-*.txt"):
        old.unlink()
    numbered = sorted((v for v in verdicts if v.number is not None), key=lambda v: v.number or 0)
    parts = [
        "<!doctype html><meta charset='utf-8'>",
        f"<title>{html.escape(contest.name)}: naskah tanpa identitas</title>",
        "<style>body{max-width:42em;margin:auto;font:17px/1.6 serif}"
        "article{page-break-after:always;margin-bottom:3em}</style>",
        f"<h1>{html.escape(contest.name)}</h1>",
    ]
    for v in numbered:
        title = _redact_title(v)
        body = blind_text(v)
        (folder / f"naskah-{v.number:03d}.txt").write_text(
            f"Naskah {v.number:03d}\nJudul: {title}\n\n{body}\n", encoding="utf-8"
        )
        paras = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
        parts.append(
            f"<article><h2>Naskah {v.number:03d}: {html.escape(title)}</h2>{paras}</article>"
        )
    (folder / "index.html").write_text("\n".join(parts) + "\n", encoding="utf-8")
    with key_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Nomor naskah", "Baris", "Nama", "Email", "URL", "Judul"])
        for v in numbered:
            writer.writerow(
                [
                    cell_text(c)
                    for c in (
                        v.number,
                        v.entry.row,
                        v.entry.name or "",
                        v.entry.email or "",
                        v.entry.url,
                        v.fetched.title or "",
                    )
                ]  # fmt: skip
            )


def _redact_title(v: Verdict) -> str:
    title = v.fetched.title or "(tanpa judul)"
    for ident in _identities(v):
        title = re.sub(r"(?<!\w)" + re.escape(ident) + r"(?!\w)", REDACTED, title, flags=re.I)
    return title
