"""Combine several judges' filled score sheets into one ranking.

Each judge's total for an entry is the weighted mean of their criterion scores
(`Σ score × weight / Σ weight`, 0-100), counted only when every criterion was scored. An entry's
final score is the mean of the judges' totals; entries with equal final scores (to two decimals)
share a rank (1, 2, 2, 4) and are marked as tied. Sheets must come from the same judging run,
carry the contest's criteria, be intact (see `scoresheet`) and name different judges.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .contest import Contest
from .scoresheet import FilledSheet, ScoreSheetError, cell_text, read_score_sheet


class RankError(ValueError):
    """The sheets cannot be combined; the message says which and why."""


@dataclass
class Ranked:
    number: int
    score: float | None
    judges: int  # judges whose total counts
    per_judge: dict[str, float | None] = field(default_factory=dict)
    rank: int | None = None
    tied: bool = False


@dataclass
class Ranking:
    rows: list[Ranked]
    judges: list[str]
    problems: list[str]


def judge_total(scores: dict[str, float | None], criteria: dict[str, float]) -> float | None:
    if any(scores.get(name) is None for name in criteria):
        return None
    total_weight = sum(criteria.values())
    return sum(scores[name] * weight for name, weight in criteria.items()) / total_weight  # type: ignore[operator]


def load_sheets(contest: Contest, paths: list[Path]) -> list[FilledSheet]:
    """Read and cross-check every sheet; refuse the whole set on the first bad one."""
    if not paths:
        raise RankError("tidak ada lembar penilaian")
    errors, sheets = [], []
    for path in paths:
        try:
            sheets.append(read_score_sheet(path))
        except ScoreSheetError as exc:
            errors.append(str(exc))
    if errors:
        raise RankError("lembar ditolak:\n- " + "\n- ".join(errors))
    first = sheets[0]
    expected = dict(contest.criteria) if contest.criteria else None
    for sheet in sheets:
        if sheet.run_id != first.run_id or set(sheet.scores) != set(first.scores):
            raise RankError(
                f"{sheet.path.name}: dari penjurian lain (kode {sheet.run_id}, bukan {first.run_id})"
            )
        if expected is not None and sheet.criteria != expected:
            raise RankError(
                f"{sheet.path.name}: kriteria/bobot lembar {sheet.criteria} berbeda dengan "
                f"contest.toml {expected}"
            )
    seen: dict[str, Path] = {}
    for sheet in sheets:
        key = sheet.judge.casefold()
        if key in seen:
            raise RankError(
                f"juri {sheet.judge!r} muncul dua kali ({seen[key].name} dan {sheet.path.name})"
            )
        seen[key] = sheet.path
    return sheets


def rank_sheets(contest: Contest, paths: list[Path]) -> Ranking:
    sheets = load_sheets(contest, paths)
    problems = [f"{s.judge}: {p}" for s in sheets for p in s.problems]
    numbers = sorted(sheets[0].scores)
    rows = []
    for number in numbers:
        per_judge = {s.judge: judge_total(s.scores[number], s.criteria) for s in sheets}
        for judge, total in per_judge.items():
            if total is None:
                problems.append(f"{judge}: naskah {number} belum dinilai lengkap")
        totals = [t for t in per_judge.values() if t is not None]
        score = sum(totals) / len(totals) if totals else None
        rows.append(Ranked(number, score, len(totals), per_judge))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.number))
    previous: Ranked | None = None
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            continue
        if previous is not None and round(previous.score or 0, 2) == round(row.score, 2):
            row.rank = previous.rank
            row.tied = previous.tied = True
        else:
            row.rank = position
        previous = row
    return Ranking(rows, [s.judge for s in sheets], problems)


def read_key(path: Path) -> dict[int, dict[str, str]]:
    """The committee's blind key (number -> row, name, URL, title), when available."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {int(r["Nomor naskah"]): r for r in csv.DictReader(fh)}


def write_ranking_csv(path: Path, ranking: Ranking, key: dict[int, dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["Peringkat", "Seri", "Nomor naskah", "Nilai akhir", "Jumlah juri"]
            + [f"Total {j}" for j in ranking.judges]
            + ["Nama", "URL", "Judul"]
        )
        for row in ranking.rows:
            info = key.get(row.number, {})
            writer.writerow(
                [
                    row.rank or "",
                    "seri" if row.tied else "",
                    row.number,
                    _fmt(row.score),
                    row.judges,
                ]
                + [_fmt(row.per_judge.get(j)) for j in ranking.judges]
                + [cell_text(info.get(k, "")) for k in ("Nama", "URL", "Judul")]
            )


def _fmt(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else ""
