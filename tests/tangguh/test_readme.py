"""Every command and every option of the CLI is documented in the README."""

from __future__ import annotations

from pathlib import Path

import typer

from tangguh.cli import app

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _walk(cmd, path: tuple[str, ...]):
    yield path, cmd
    # Typer 0.29's groups are not click.Group instances: duck-type on `commands`.
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _walk(sub, (*path, name))


def _commands():
    return list(_walk(typer.main.get_command(app), ("tangguh",)))


def test_every_command_is_in_the_readme():
    missing = []
    for path, _cmd in _commands():
        if len(path) == 1:
            continue
        # "tangguh judge run" may be written "tangguh judge run|rank|recheck".
        name = " ".join(path)
        parent = " ".join(path[:-1])
        if name not in README and not (f"{parent} " in README and path[-1] in README):
            missing.append(name)
    assert not missing, f"commands missing from README: {missing}"


def test_every_option_is_in_the_readme():
    missing = []
    for path, cmd in _commands():
        for param in cmd.params:
            if param.param_type_name != "option":  # Typer's options are not click.Option
                continue
            longs = [o for o in param.opts + param.secondary_opts if o.startswith("--")]
            if param.name in ("install_completion", "show_completion"):
                continue  # Typer's own shell-completion options
            if longs and not any(o in README for o in longs):
                missing.append(f"{' '.join(path)} {longs[0]}")
    assert not missing, f"options missing from README: {missing}"


def test_every_command_has_help_text():
    undocumented = [
        " ".join(p) for p, c in _commands() if len(p) > 1 and not (c.help or "").strip()
    ]
    assert not undocumented, f"commands without help: {undocumented}"
