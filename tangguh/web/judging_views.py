"""/judging: contests judged into this database, their entries with evidence, blind reading."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from store import judging
from tangguh.judging.labels import RULE_LABELS
from tangguh.web.common import page_of, render

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _contest_id(request: Request) -> int | None:
    try:
        return int(request.path_params["contest_id"])
    except (KeyError, ValueError):
        return None


def _bool(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def contests_page(request: Request) -> Response:
    page = page_of(request)
    with request.app.state.services.db.read() as session:
        contests = judging.list_contests(session)
    return render(page, "judging.html", contests=contests)


def contest_page(request: Request) -> Response:
    page = page_of(request)
    cid = _contest_id(request)
    qp = request.query_params
    rule = qp.get("rule") or None
    flt = judging.EntryFilter(
        eligible=_bool(qp.get("eligible")),
        failed_rule=rule if rule in RULE_LABELS else None,
        flagged=_bool(qp.get("flagged")),
    )
    with request.app.state.services.db.read() as session:
        contest = judging.get_contest(session, cid) if cid is not None else None
        if contest is None:
            return render(page, "notfound.html", status=404, url=request.url.path)
        entries = judging.contest_entries(session, contest.id, flt)
        total = contest.entries
    rules = list(contest.rules or RULE_LABELS)
    return render(
        page,
        "contest.html",
        contest=contest,
        entries=entries,
        total=total,
        flt=flt,
        rules=[r for r in RULE_LABELS if r in rules],
        rule_names=_rule_names(page),
    )


def _rule_names(page) -> dict[str, str]:
    return {name: page.t.get(f"rule_{name}", label) for name, label in RULE_LABELS.items()}


def blind_page(request: Request) -> Response:
    page = page_of(request)
    cid = _contest_id(request)
    with request.app.state.services.db.read() as session:
        contest = judging.get_contest(session, cid) if cid is not None else None
        if contest is None:
            return render(page, "notfound.html", status=404, url=request.url.path)
        entries = judging.blind_entries(session, contest.id)
    return render(page, "blind.html", contest=contest, entries=entries)


def report_download(request: Request) -> Response:
    cid = _contest_id(request)
    kind = request.path_params["kind"]
    if kind not in MEDIA:
        return Response("csv or xlsx", status_code=404, media_type="text/plain")
    with request.app.state.services.db.read() as session:
        data = judging.report_file(session, cid, kind) if cid is not None else None
    if data is None:
        return Response("no such report", status_code=404, media_type="text/plain")
    return Response(
        data,
        media_type=MEDIA[kind],
        headers={"Content-Disposition": f'attachment; filename="laporan-{cid}.{kind}"'},
    )
