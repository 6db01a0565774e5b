"""The judges' score sheet: write it, and read a filled one back only if it is intact.

Sheet "Penilaian": the judge's name in B3, then one row per eligible entry (blind number and
title), one score column per `[scoring]` criterion (0-100, weight in the header), a total
formula and a notes column. Only the name, score and notes cells are unlocked.

Sheet protection in Excel is trivial to lift, so it is not the guarantee: a very hidden sheet
"_tangguh" keeps a sha256 over every protected cell (coordinate and value) and the run's id.
`read_score_sheet` recomputes it and refuses a sheet where anything outside the editable
cells changed (a title swapped, a row inserted, a weight edited). Formula cells are left out
of the hash because spreadsheet programs rewrite formula text on save; ranking never reads them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .contest import Contest

SHEET = "Penilaian"
META_SHEET = "_tangguh"
JUDGE_CELL = "B3"
FIRST_ROW = 6  # first entry row
HEADER_ROW = 5
MAX_SCORE = 100
_FORMAT = "tangguh-score-sheet/1"


class ScoreSheetError(ValueError):
    """A sheet that cannot be used for ranking; the message says why."""


@dataclass
class FilledSheet:
    path: Path
    judge: str
    run_id: str
    criteria: dict[str, float]
    scores: dict[int, dict[str, float | None]]  # number -> criterion -> score
    notes: dict[int, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def run_id(contest: Contest, numbers: list[tuple[int, str]]) -> str:
    """Identifies one judging run: the contest and its numbered entries."""
    payload = json.dumps([contest.name, numbers], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _editable(criteria_count: int, rows: int) -> set[str]:
    cells = {JUDGE_CELL}
    last_score = 2 + criteria_count
    notes_col = last_score + 2
    for r in range(FIRST_ROW, FIRST_ROW + rows):
        for c in range(3, last_score + 1):
            cells.add(f"{get_column_letter(c)}{r}")
        cells.add(f"{get_column_letter(notes_col)}{r}")
    return cells


def _norm(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return format(float(value), "g")  # Excel may save 60.0 as 60
    return str(value).strip()


def protected_hash(ws: Any, criteria_count: int, rows: int) -> str:
    """sha256 over (coordinate, value) of every non-empty, non-editable, non-formula cell."""
    editable = _editable(criteria_count, rows)
    h = hashlib.sha256()
    h.update(f"{rows}\n".encode())
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if value is None or value == "" or cell.coordinate in editable:
                continue
            if isinstance(value, str) and value.startswith("="):
                continue
            h.update(f"{cell.coordinate}\t{_norm(value)}\n".encode())
    return h.hexdigest()


def write_score_sheet(path: Path, contest: Contest, numbered: list[Any]) -> None:
    """`numbered`: verdicts with a blind `number` (eligible entries)."""
    criteria = contest.criteria or {"nilai": 100.0}
    entries = sorted((v.number, v.fetched.title or "(tanpa judul)") for v in numbered)
    rid = run_id(contest, entries)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = f"Lembar penilaian: {contest.name}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = (
        f"Isi nilai 0-{MAX_SCORE} untuk tiap kriteria di sel berwarna. Jangan mengubah sel lain: "
        "lembar yang diubah di luar sel nilai akan ditolak saat perankingan."
    )
    ws["A3"] = "Nama juri:"
    ws["A4"] = f"Kode penjurian: {rid}"
    names = list(criteria)
    header = ["Nomor naskah", "Judul"]
    header += [f"{n} (bobot {format(criteria[n], 'g')})" for n in names]
    header += ["Total tertimbang", "Catatan"]
    for c, text in enumerate(header, start=1):
        cell = ws.cell(HEADER_ROW, c, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    total_weight = sum(criteria.values())
    last_score = 2 + len(names)
    validation = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(MAX_SCORE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Nilai tidak sah",
        error=f"Nilai harus angka 0-{MAX_SCORE}.",
    )
    ws.add_data_validation(validation)
    unlocked = Protection(locked=False)
    for i, (number, title) in enumerate(entries):
        r = FIRST_ROW + i
        ws.cell(r, 1, number)
        ws.cell(r, 2, cell_text(title))
        terms = "+".join(
            f"{get_column_letter(3 + j)}{r}*{format(criteria[n], 'g')}" for j, n in enumerate(names)
        )
        first, last = get_column_letter(3), get_column_letter(last_score)
        ws.cell(
            r,
            last_score + 1,
            f'=IF(COUNT({first}{r}:{last}{r})={len(names)},({terms})/{format(total_weight, "g")},"")',
        )
        for c in range(3, last_score + 1):
            ws.cell(r, c).protection = unlocked
            validation.add(ws.cell(r, c))
        ws.cell(r, last_score + 2).protection = unlocked
    ws[JUDGE_CELL].protection = unlocked
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 50
    for c in range(3, last_score + 3):
        ws.column_dimensions[get_column_letter(c)].width = 16
    ws.column_dimensions[get_column_letter(last_score + 2)].width = 40
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatCells = False  # judges may widen columns or colour cells

    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta["A1"] = _FORMAT
    meta["A2"] = rid
    meta["A3"] = json.dumps(criteria, ensure_ascii=False)
    meta["A4"] = len(entries)
    meta["A5"] = protected_hash(ws, len(names), len(entries))
    wb.save(path)


_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(value: Any) -> Any:
    """Scraped text is hostile: drop characters XLSX refuses and defuse formula injection."""
    if not isinstance(value, str):
        return value
    value = _ILLEGAL_XLSX.sub("", value)[:32000]
    if value[:1] in ("=", "+", "-", "@"):
        value = "'" + value
    return value


def read_score_sheet(path: str | Path) -> FilledSheet:
    """Read a filled sheet; raise `ScoreSheetError` when it is not an intact Tangguh sheet."""
    p = Path(path)
    try:
        wb = load_workbook(p, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ScoreSheetError(f"{p.name}: bukan berkas XLSX yang dapat dibaca ({exc})") from exc
    if SHEET not in wb.sheetnames or META_SHEET not in wb.sheetnames:
        raise ScoreSheetError(f"{p.name}: bukan lembar penilaian Tangguh (lembar hilang)")
    ws, meta = wb[SHEET], wb[META_SHEET]
    if meta["A1"].value != _FORMAT:
        raise ScoreSheetError(f"{p.name}: versi lembar penilaian tidak dikenal")
    try:
        criteria = {k: float(v) for k, v in json.loads(meta["A3"].value).items()}
        rows = int(meta["A4"].value)
    except (TypeError, ValueError) as exc:
        raise ScoreSheetError(f"{p.name}: data tersembunyi lembar rusak") from exc
    if protected_hash(ws, len(criteria), rows) != meta["A5"].value:
        raise ScoreSheetError(
            f"{p.name}: lembar diubah di luar sel nilai (judul, nomor, bobot atau baris/kolom "
            "tambahan); minta juri mengisi ulang lembar asli"
        )
    judge = str(ws[JUDGE_CELL].value or "").strip() or p.stem
    names = list(criteria)
    scores: dict[int, dict[str, float | None]] = {}
    notes: dict[int, str] = {}
    problems: list[str] = []
    for i in range(rows):
        r = FIRST_ROW + i
        number = int(ws.cell(r, 1).value)
        row_scores: dict[str, float | None] = {}
        for j, name in enumerate(names):
            value = ws.cell(r, 3 + j).value
            if value is None or (isinstance(value, str) and not value.strip()):
                row_scores[name] = None
                continue
            try:
                score = (
                    float(str(value).replace(",", "."))
                    if not isinstance(value, int | float)
                    else float(value)
                )
            except ValueError:
                problems.append(f"naskah {number}, {name}: nilai bukan angka ({value!r})")
                row_scores[name] = None
                continue
            if not 0 <= score <= MAX_SCORE:
                problems.append(f"naskah {number}, {name}: nilai {score:g} di luar 0-{MAX_SCORE}")
                row_scores[name] = None
                continue
            row_scores[name] = score
        scores[number] = row_scores
        note = ws.cell(r, 3 + len(names) + 1).value
        if note:
            notes[number] = str(note)
    return FilledSheet(p, judge, str(meta["A2"].value), criteria, scores, notes, problems)
