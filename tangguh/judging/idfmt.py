"""Indonesian formatting for evidence read by people: dates, numbers, scores.

"terbit 25 Juni 2020 10.00 WIB" is how a committee writes it (time with a dot, zone
abbreviation), and "0,87" is an Indonesian decimal.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
_ZONE_ABBR = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_label(tz: ZoneInfo, when: datetime) -> str:
    abbr = _ZONE_ABBR.get(tz.key)
    if abbr:
        return abbr
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def date_id(when: datetime, tz: ZoneInfo) -> str:
    """`25 Juni 2020`, in `tz`."""
    local = when.astimezone(tz)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def datetime_id(when: datetime, tz: ZoneInfo, *, seconds: bool = False) -> str:
    """`25 Juni 2020 10.00 WIB`, in `tz` (seconds only when asked: boundaries need them)."""
    local = when.astimezone(tz)
    clock = f"{local.hour:02d}.{local.minute:02d}"
    if seconds:
        clock += f".{local.second:02d}"
    return f"{date_id(local, tz)} {clock} {zone_label(tz, local)}"


def number_id(value: int) -> str:
    """`1.234`: Indonesian thousands separator."""
    return f"{value:,}".replace(",", ".")


def score_id(value: float) -> str:
    """`0,87`: Indonesian decimal comma."""
    return f"{value:.2f}".replace(".", ",")
