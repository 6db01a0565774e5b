"""Date and count wording as the real sites print them, in Indonesian and English.

Each platform has its own habits (Blogger "25 Juni 2020 pukul 19.02", WordPress
"25 Juni 2020 pukul 19:02", government sites "Selasa, (16/06/2020)"); the spiders and
the date parser are tested against exactly these shapes.
"""

from __future__ import annotations

from datetime import datetime

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
BULAN_SINGKAT = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def long_date(moment: datetime, language: str = "id") -> str:
    """Blogger's date header: "Kamis, 25 Juni 2020" / "Thursday, June 25, 2020"."""
    if language == "en":
        return f"{DAYS[moment.weekday()]}, {MONTHS[moment.month - 1]} {moment.day}, {moment.year}"
    return f"{HARI[moment.weekday()]}, {moment.day:02d} {BULAN[moment.month - 1]} {moment.year}"


def day_month_year(moment: datetime, language: str = "id") -> str:
    if language == "en":
        return f"{MONTHS[moment.month - 1]} {moment.day}, {moment.year}"
    return f"{moment.day} {BULAN[moment.month - 1]} {moment.year}"


def blogger_comment_time(moment: datetime, language: str = "id") -> str:
    """Blogger's comment timestamp text, e.g. "25 Juni 2020 pukul 19.02"."""
    if language == "en":
        hour = moment.hour % 12 or 12
        ampm = "AM" if moment.hour < 12 else "PM"
        return f"{day_month_year(moment, 'en')} at {hour}:{moment.minute:02d} {ampm}"
    return f"{day_month_year(moment)} pukul {moment.hour:02d}.{moment.minute:02d}"


def clock(moment: datetime, language: str = "id") -> str:
    if language == "en":
        hour = moment.hour % 12 or 12
        return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
    return f"{moment.hour:02d}.{moment.minute:02d}"


def wp_comment_time(moment: datetime) -> str:
    return f"{day_month_year(moment)} pukul {moment.hour:02d}:{moment.minute:02d}"


def news_byline(moment: datetime) -> str:
    """Portal byline: "Selasa, 16 Juni 2020 14:30 WIB"."""
    return (
        f"{HARI[moment.weekday()]}, {moment.day} {BULAN[moment.month - 1]} {moment.year} "
        f"{moment.hour:02d}:{moment.minute:02d} WIB"
    )


def gov_list_date(moment: datetime) -> str:
    """Government listing date: "16-06-2020" (dd-mm-yyyy, as mahardhikafm shows)."""
    return f"{moment.day:02d}-{moment.month:02d}-{moment.year}"


def short_date(moment: datetime) -> str:
    """Related-news widget date: "16 Jun 2020"."""
    return f"{moment.day} {BULAN_SINGKAT[moment.month - 1]} {moment.year}"


def header_today(moment: datetime) -> str:
    """The header widget's "today": "Sabtu, 28 November 2026"."""
    return f"{HARI[moment.weekday()]}, {moment.day} {BULAN[moment.month - 1]} {moment.year}"


def comments_label(count: int, language: str = "id") -> str:
    if language == "en":
        return f"{count} comment" + ("" if count == 1 else "s")
    return f"{count} komentar"
