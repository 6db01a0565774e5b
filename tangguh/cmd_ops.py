"""Operator commands: `tangguh doctor` and `tangguh replay`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tangguh.errors import ExitCode, UserError


def register(app: typer.Typer) -> None:
    from tangguh.cli import console, err, handled

    @app.command()
    @handled
    def doctor(ctx: typer.Context) -> None:
        """Check the database and the search index; say how to repair what is wrong."""
        from rich.table import Table

        from tangguh.ops import doctor_findings

        findings = doctor_findings(ctx.obj.open_db())
        table = Table(title="tangguh doctor")
        for col in ("check", "status", "detail", "how to repair"):
            table.add_column(col)
        for f in findings:
            table.add_row(
                f.check, "[green]ok[/]" if f.ok else "[red]problem[/]", f.detail, f.repair
            )
        console.print(table)
        if not all(f.ok for f in findings):
            raise typer.Exit(int(ExitCode.WARNING))

    @app.command()
    @handled
    def replay(
        ctx: typer.Context,
        deadletter: Annotated[Path, typer.Argument(help="Dead-letter JSONL file of a failed run.")],
    ) -> None:
        """Store the documents a failed run wrote to its dead-letter file."""
        from tangguh.ops import import_jsonl

        if not deadletter.is_file():
            raise UserError(f"no such file: {deadletter}", ExitCode.BAD_CONFIG)
        db = ctx.obj.open_db()
        report = import_jsonl(db, deadletter, source=None)
        for bad in report.bad:
            err.print(f"{deadletter}:{bad.line}: {bad.reason}", markup=False)
        o = report.outcomes
        console.print(
            f"replayed {deadletter}: {o['new']} new, {o['updated']} updated, "
            f"{o['unchanged']} unchanged, {o['failed']} failed again"
        )
        if not report.ok:
            raise typer.Exit(int(ExitCode.PARTIAL))
        done = deadletter.with_name(deadletter.name + ".replayed")
        deadletter.replace(done)
        console.print(f"moved the replayed file to {done}")
