"""Command options shared by several commands, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

# Accepted after the command as well as before it (`tangguh --allow-private fetch ...`).
AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        envvar="TANGGUH_ALLOW_PRIVATE",
        help="Allow URLs that resolve to loopback or private addresses (the sample web, tests).",
    ),
]
