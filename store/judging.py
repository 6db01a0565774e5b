"""Judged contests in the database: what `judge run` decided, for the web page's /judging.

`judge run` writes its reports to a folder for people and scripts; it also records here, once
at the end of a run, the contest as judged and each entry's verdict with its evidence (the
objects of `report.json`), so a judge can open them in a browser without the folder. Every
run is kept: re-judging a contest adds a new judging, the latest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import JudgedContest, JudgedEntry
from store.repo import utcnow

REPORT_KINDS = ("csv", "xlsx")


@dataclass
class EntryFilter:
    """Which entries of a contest to list (all when every field is None)."""

    eligible: bool | None = None
    failed_rule: str | None = None
    flagged: bool | None = None

    def keeps(self, entry: JudgedEntry) -> bool:
        if self.eligible is not None and entry.eligible != self.eligible:
            return False
        if self.failed_rule and self.failed_rule not in (entry.fails or []):
            return False
        return self.flagged is None or bool(entry.flags) == self.flagged


def record_judging(
    session: Session,
    contest: dict[str, Any],
    records: list[dict[str, Any]],
    *,
    blind: dict[str, tuple[str, str]] | None = None,
    reports: dict[str, bytes] | None = None,
) -> int:
    """Store one judging: ``contest`` (name, timezone, opens, closes, rules, counting_rule,
    contest_file, entries_file, out_dir, input_problems), ``records`` (report.json's
    objects), ``blind`` ({url: (title, text)} without names or URLs) and ``reports``
    ({"csv"|"xlsx": bytes}). Returns the new contest id."""
    blind = blind or {}
    reports = reports or {}
    row = JudgedContest(
        name=contest["name"],
        judged_at=utcnow(),
        timezone=contest.get("timezone") or "Asia/Jakarta",
        opens=contest.get("opens"),
        closes=contest.get("closes"),
        rules=contest.get("rules"),
        counting_rule=contest.get("counting_rule"),
        contest_file=contest.get("contest_file"),
        entries_file=contest.get("entries_file"),
        out_dir=contest.get("out_dir"),
        input_problems=contest.get("input_problems") or [],
        entries=len(records),
        eligible=sum(1 for r in records if r.get("eligible")),
        report_csv=reports.get("csv"),
        report_xlsx=reports.get("xlsx"),
    )
    session.add(row)
    session.flush()
    for r in records:
        title, text = blind.get(r["url"], (None, None))
        session.add(
            JudgedEntry(
                contest_id=row.id,
                form_row=int(r.get("row") or 0),
                url=r["url"],
                eligible=bool(r.get("eligible")),
                word_count=r.get("word_count"),
                published_at=r.get("published_at"),
                fails=list(r.get("fails") or []),
                flags=list(r.get("flags") or []),
                number=r.get("number"),
                snapshot_sha256=(r.get("snapshot") or {}).get("sha256"),
                blind_title=title,
                blind_text=text,
                record=r,
            )
        )
    session.flush()
    return row.id


def list_contests(session: Session) -> list[JudgedContest]:
    """Every judging, the latest first (report bytes are not loaded)."""
    from sqlalchemy.orm import defer

    return list(
        session.scalars(
            select(JudgedContest)
            .options(defer(JudgedContest.report_csv), defer(JudgedContest.report_xlsx))
            .order_by(JudgedContest.judged_at.desc(), JudgedContest.id.desc())
        )
    )


def get_contest(session: Session, contest_id: int) -> JudgedContest | None:
    return session.get(JudgedContest, contest_id)


def contest_entries(
    session: Session, contest_id: int, flt: EntryFilter | None = None
) -> list[JudgedEntry]:
    """The entries of one judging in form order, narrowed by ``flt``."""
    entries = session.scalars(
        select(JudgedEntry)
        .where(JudgedEntry.contest_id == contest_id)
        .order_by(JudgedEntry.form_row, JudgedEntry.id)
    ).all()
    return [e for e in entries if flt is None or flt.keeps(e)]


def blind_entries(session: Session, contest_id: int) -> list[JudgedEntry]:
    """Eligible entries with their blind-reading number, in number order."""
    return list(
        session.scalars(
            select(JudgedEntry)
            .where(JudgedEntry.contest_id == contest_id, JudgedEntry.number.is_not(None))
            .order_by(JudgedEntry.number)
        )
    )


def report_file(session: Session, contest_id: int, kind: str) -> bytes | None:
    """The stored report.csv / report.xlsx of a judging."""
    if kind not in REPORT_KINDS:
        raise ValueError(f"report kind must be one of {REPORT_KINDS}")
    column = JudgedContest.report_csv if kind == "csv" else JudgedContest.report_xlsx
    return session.scalar(select(column).where(JudgedContest.id == contest_id))


def count_contests(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(JudgedContest)) or 0
