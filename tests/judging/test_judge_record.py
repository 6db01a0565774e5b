"""`judge run` records the contest and every verdict in the database, for /judging."""

import json
import shutil

from judging_helpers import EXAMPLE_CONTEST, TRIBRATA_LINK, FakeFetcher, fetched
from typer.testing import CliRunner

from store import judging
from store.db import open_database
from tangguh.judging import commands

URL = "https://peserta.blogspot.com/2020/06/entri.html"


def test_run_records_verdicts_and_reports_in_the_database(tmp_path, monkeypatch):
    db_url = f"sqlite:///{tmp_path / 'tangguh.db'}"
    open_database(db_url).dispose()
    body = "<div>" + "kata " * 350 + "Kampung Tangguh Semeru #KampungTangguhSemeru</div>"
    fake = FakeFetcher({URL: fetched(URL, body + "<img src='/a.jpg'>" + TRIBRATA_LINK)})
    monkeypatch.setattr(commands, "make_fetcher", lambda allow_private: fake)
    contest = tmp_path / "lomba.toml"
    shutil.copy(EXAMPLE_CONTEST, contest)
    form = tmp_path / "entri.csv"
    form.write_text(f"Nama,Email,URL\nPeserta,p@mail.test,{URL}\n", encoding="utf-8")
    args = ["run", str(contest), "--entries", str(form), "--db", db_url]
    for _ in range(2):  # a re-run is a new judging; the first is kept
        result = CliRunner().invoke(commands.app, args)
        assert result.exit_code == 0, result.output
        assert "tersimpan di basis data" in result.output
    report = json.loads((tmp_path / "lomba-judging" / "report.json").read_text("utf-8"))
    db = open_database(db_url)
    with db.read() as session:
        contests = judging.list_contests(session)
        assert len(contests) == 2 and contests[0].name == "Lomba Blogger Kampung Tangguh Semeru"
        entries = judging.contest_entries(session, contests[0].id)
        assert [e.record for e in entries] == report
        assert entries[0].fails == report[0]["fails"]
        assert judging.report_file(session, contests[0].id, "xlsx")[:2] == b"PK"
        csv_bytes = judging.report_file(session, contests[0].id, "csv")
        assert csv_bytes == (tmp_path / "lomba-judging" / "report.csv").read_bytes()
