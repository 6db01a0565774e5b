"""Record a finished `judge run` in the project's database, for the web page's /judging.

Called once, at the end of a run, with what the reports were written from: the contest, the
verdicts (numbered for blind reading by `write_reports`) and the report files. A database
that cannot take the record costs the run nothing: the reports on disk are complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .contest import Contest
from .entries import Problem
from .report import _redact_title, blind_text, verdict_record
from .rules import Verdict
from .text import WORD_RULE


def contest_info(
    contest: Contest, problems: list[Problem], *, entries_file: str | None, out: Path
) -> dict[str, Any]:
    return {
        "name": contest.name,
        "timezone": contest.timezone,
        "opens": contest.opens.isoformat() if contest.opens else None,
        "closes": contest.closes.isoformat() if contest.closes else None,
        "rules": contest.active_rules(),
        "counting_rule": WORD_RULE,
        "contest_file": str(contest.path) if contest.path else None,
        "entries_file": entries_file,
        "out_dir": str(out),
        "input_problems": [
            {"row": p.row, "level": p.level, "message": p.message} for p in problems
        ],
    }


def record_run(
    database,
    contest: Contest,
    verdicts: list[Verdict],
    problems: list[Problem],
    paths: dict[str, Path],
    *,
    entries_file: str | None,
) -> int:
    """Store the judging (contest, every verdict with its evidence, blind texts, CSV/XLSX);
    returns its id in the database."""
    from store import judging
    from store.migrate import upgrade

    upgrade(database)  # a corpus opened without migrating may predate the judging tables
    records = [verdict_record(v, contest) for v in verdicts]
    blind = {v.entry.url: (_redact_title(v), blind_text(v)) for v in verdicts if v.number}
    reports = {kind: paths[kind].read_bytes() for kind in ("csv", "xlsx") if paths[kind].is_file()}
    info = contest_info(contest, problems, entries_file=entries_file, out=paths["json"].parent)
    with database.write() as session:
        return judging.record_judging(session, info, records, blind=blind, reports=reports)
