"""Load and validate a contest file (`contest.toml`).

Every rule is optional: a contest that sets no `min_words` simply has no `min_words` check.
The file is strict because a silently ignored typo (`min_word = 300`) would let a short entry
through and the committee would not know; unknown keys and wrong types raise `ContestError`
naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# "other" admits every platform that is not Blogger or WordPress (own domains, Kompasiana, ...).
PLATFORM_NAMES = ("blogger", "wordpress", "kompasiana", "medium", "other")
ENTRY_KEYS = ("email", "name", "site")


class ContestError(ValueError):
    """The contest file is unreadable or breaks the schema; the message names the key."""


@dataclass(frozen=True)
class Rules:
    """The machine-checkable rules; `None` (or empty) means the rule is not part of the contest."""

    min_words: int | None = None
    max_words: int | None = None
    required_keywords: tuple[str, ...] = ()
    required_hashtags: tuple[str, ...] = ()
    required_links: tuple[str, ...] = ()
    required_links_dofollow: bool = False
    min_images: int | None = None
    platforms: tuple[str, ...] = ()
    one_entry_per: str | None = None
    max_similarity: float | None = None


@dataclass(frozen=True)
class Contest:
    """A contest: its window in local time of `timezone`, its rules and its scoring criteria."""

    name: str
    timezone: str = "Asia/Jakarta"
    opens: datetime | None = None  # aware, in `timezone`
    closes: datetime | None = None  # aware, in `timezone`, inclusive
    rules: Rules = field(default_factory=Rules)
    criteria: dict[str, float] = field(default_factory=dict)  # name -> weight, file order
    path: Path | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def active_rules(self) -> list[str]:
        """Names of the checks this contest runs, in report order."""
        r = self.rules
        names = ["reachable"]
        if self.opens or self.closes:
            names.append("window")
        optional = [
            ("min_words", r.min_words is not None),
            ("max_words", r.max_words is not None),
            ("required_keywords", bool(r.required_keywords)),
            ("required_hashtags", bool(r.required_hashtags)),
            ("required_links", bool(r.required_links)),
            ("min_images", r.min_images is not None),
            ("platforms", bool(r.platforms)),
            ("one_entry_per", r.one_entry_per is not None),
            ("max_similarity", r.max_similarity is not None),
        ]
        names.extend(name for name, on in optional if on)
        return names


# key -> (expected python types, human type name)
_CONTEST_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "name": ((str,), "teks"),
    "timezone": ((str,), "teks (mis. Asia/Jakarta)"),
    "opens": ((str, date), "tanggal-waktu"),
    "closes": ((str, date), "tanggal-waktu"),
}
_RULE_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "min_words": ((int,), "bilangan bulat"),
    "max_words": ((int,), "bilangan bulat"),
    "required_keywords": ((list,), "daftar teks"),
    "required_hashtags": ((list,), "daftar teks"),
    "required_links": ((list,), "daftar teks"),
    "required_links_dofollow": ((bool,), "true/false"),
    "min_images": ((int,), "bilangan bulat"),
    "platforms": ((list,), "daftar teks"),
    "one_entry_per": ((str,), '"email", "name" atau "site"'),
    "max_similarity": ((float, int), "angka 0..1"),
}
_SCORING_KEYS = {"criteria"}
_SECTIONS = {"contest", "rules", "scoring"}


def load_contest(path: str | Path) -> Contest:
    """Read `path` and return a validated `Contest`, or raise `ContestError`."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ContestError(f"{p}: tidak dapat dibaca ({exc.strerror or exc})") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ContestError(f"{p}: bukan UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ContestError(f"{p}: TOML rusak: {exc}") from exc
    contest = parse_contest(data)
    return Contest(**{**contest.__dict__, "path": p})


def parse_contest(data: dict[str, Any]) -> Contest:
    """Validate an already-parsed TOML mapping (see `load_contest`)."""
    unknown = sorted(set(data) - _SECTIONS)
    if unknown:
        raise ContestError(f"bagian tidak dikenal: {', '.join(f'[{u}]' for u in unknown)}")
    section = _section(data, "contest")
    if "name" not in section:
        raise ContestError("contest.name wajib diisi")
    _check_keys("contest", section, _CONTEST_KEYS)
    tzname = section.get("timezone", "Asia/Jakarta")
    try:
        tz = ZoneInfo(tzname)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ContestError(f"contest.timezone: zona waktu tidak dikenal: {tzname!r}") from exc
    opens = _local_time("contest.opens", section.get("opens"), tz, end_of_day=False)
    closes = _local_time("contest.closes", section.get("closes"), tz, end_of_day=True)
    if opens and closes and closes < opens:
        raise ContestError("contest.closes lebih awal dari contest.opens")
    rules = _parse_rules(_section(data, "rules"))
    criteria = _parse_criteria(_section(data, "scoring"))
    return Contest(
        name=section["name"].strip() or "Lomba",
        timezone=tzname,
        opens=opens,
        closes=closes,
        rules=rules,
        criteria=criteria,
    )


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ContestError(f"[{name}] harus berupa tabel, bukan {type(value).__name__}")
    return value


def _check_keys(prefix: str, section: dict[str, Any], spec: dict) -> None:
    unknown = sorted(set(section) - set(spec))
    if unknown:
        known = ", ".join(spec)
        raise ContestError(
            f"kunci tidak dikenal di [{prefix}]: {', '.join(unknown)} (yang dikenal: {known})"
        )
    for key, value in section.items():
        types, label = spec[key]
        # bool is an int subclass: `min_words = true` must not pass as 1.
        if isinstance(value, bool) and bool not in types:
            raise ContestError(f"{prefix}.{key}: harus {label}, bukan true/false")
        if not isinstance(value, types):
            raise ContestError(f"{prefix}.{key}: harus {label}, bukan {_type_name(value)}")


def _type_name(value: Any) -> str:
    return {str: "teks", int: "bilangan", float: "angka", list: "daftar", dict: "tabel"}.get(
        type(value), type(value).__name__
    )


def _local_time(key: str, value: Any, tz: ZoneInfo, *, end_of_day: bool) -> datetime | None:
    """A naive value is local time in the contest's zone; an explicit offset is kept.

    A bare date means the whole day: `opens = 2020-06-24` starts at 00:00:00 and
    `closes = 2020-06-28` ends at 23:59:59.999999, which is what a committee means by it.
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError as exc:
            raise ContestError(f"{key}: bukan tanggal ISO 8601: {value!r}") from exc
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time.max if end_of_day else time.min)
    if not isinstance(value, datetime):
        raise ContestError(f"{key}: harus tanggal-waktu, mis. 2020-06-24T00:00:00")
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def _str_list(key: str, value: list) -> tuple[str, ...]:
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ContestError(f"rules.{key}[{i}]: harus teks yang tidak kosong")
        out.append(item.strip())
    return tuple(out)


def _parse_rules(section: dict[str, Any]) -> Rules:
    _check_keys("rules", section, _RULE_KEYS)
    for key in ("min_words", "max_words", "min_images"):
        if key in section and section[key] < 0:
            raise ContestError(f"rules.{key}: tidak boleh negatif")
    if (
        "min_words" in section
        and "max_words" in section
        and section["max_words"] < section["min_words"]
    ):
        raise ContestError("rules.max_words lebih kecil dari rules.min_words")
    hashtags = _str_list("required_hashtags", section.get("required_hashtags", []))
    hashtags = tuple(h if h.startswith("#") else f"#{h}" for h in hashtags)
    platforms = _str_list("platforms", section.get("platforms", []))
    bad = [p for p in platforms if p.lower() not in PLATFORM_NAMES]
    if bad:
        raise ContestError(
            f"rules.platforms: tidak dikenal: {', '.join(bad)} (pilih dari {', '.join(PLATFORM_NAMES)})"
        )
    one = section.get("one_entry_per")
    if one is not None and one not in ENTRY_KEYS:
        raise ContestError(f'rules.one_entry_per: harus "email", "name" atau "site", bukan {one!r}')
    sim = section.get("max_similarity")
    if sim is not None and not 0 < float(sim) <= 1:
        raise ContestError("rules.max_similarity: harus di antara 0 dan 1")
    return Rules(
        min_words=section.get("min_words"),
        max_words=section.get("max_words"),
        required_keywords=_str_list("required_keywords", section.get("required_keywords", [])),
        required_hashtags=hashtags,
        required_links=_str_list("required_links", section.get("required_links", [])),
        required_links_dofollow=section.get("required_links_dofollow", False),
        min_images=section.get("min_images"),
        platforms=tuple(p.lower() for p in platforms),
        one_entry_per=one,
        max_similarity=float(sim) if sim is not None else None,
    )


def _parse_criteria(section: dict[str, Any]) -> dict[str, float]:
    unknown = sorted(set(section) - _SCORING_KEYS)
    if unknown:
        raise ContestError(f"kunci tidak dikenal di [scoring]: {', '.join(unknown)}")
    criteria = section.get("criteria", {})
    if not isinstance(criteria, dict):
        raise ContestError("scoring.criteria: harus tabel nama = bobot")
    out: dict[str, float] = {}
    for name, weight in criteria.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            raise ContestError(f"scoring.criteria.{name}: bobot harus angka positif")
        out[name] = float(weight)
    return out
