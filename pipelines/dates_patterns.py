"""Compiled patterns for pipelines.dates, built once at import.

Every pattern runs on the normalised, lower-cased text (see ``dates.normalise``). The date
core is one alternation scanned left to right, so the first date on a line wins and a
rejected match (``31 Februari 2020``) consumes its span instead of leaving ``Februari 2020``
behind to be misread. Times and zones are read by separate anchored patterns next to the
date, which keeps the core small and lets a time sit before or after it.
"""

from __future__ import annotations

import re

from pipelines.dates_vocab import (
    ENGLISH_NUMBERS,
    FULL_WEEKDAYS,
    MONTHS,
    PARTS_OF_DAY,
    PASARAN,
    SE_UNITS,
    UNITS,
    WEEKDAYS,
    ZONES,
    alternation,
)

_MON = rf"(?<![a-z])(?:{alternation(MONTHS)})(?![a-z])\.?"
_WD = rf"(?<![a-z'])(?:{alternation(WEEKDAYS)})(?![a-z'])"
_PASARAN = rf"(?:\s+(?:{alternation(PASARAN)})(?![a-z]))"
_POD = alternation(PARTS_OF_DAY)
_ZONE = alternation(ZONES)
_ORD = r"(?:st|nd|rd|th|er)?"  # "1er janvier"
_RANGE_WORD = r"(?:-|s/d|s\.d\.?|sampai(?:\s+dengan)?|hingga|to|until|dan|&)"
# Words between a day and its month ("17 sasi Agustus", "21 de abril", "15 bulan Juni") and
# before a year ("tahun 2020", Javanese "taun 2020", "de 2022").
_DAY_OF = r"(?:\s+(?:of|bulan|sasi|wulan|de|del))?"
_YEAR_WORD = r"(?:(?:tahun|taun|de|del)\s+)?"
# Two digits after a month are a year when written like one: "01.Jan.17", "11-Jan-25", or
# ending the stamp ("04 DEC 19"); "15 Juni 20 warga" is a count, "Mei 2 19:30" a time.
_SHORT_YEAR = r"(?:(?<=[.\-/])\d{2}(?![\d:])|\d{2}(?=\s*$))"
# A year-less "Nov 1" is only a date with a clock right after it: "Nov 1, 09:08",
# "Jun 20th at 12:50 pm", "Thursday Jun 25 - 12:24pm" (comment stamps); "Mei 5 orang" is not.
_MD_CLOCK_NEXT = r"(?=[\s,|@-]*(?:(?:at|um|pukul|jam)\s+)?\d{1,2}(?:[:.]|h(?=\d))\d\d)"

# Date cores. Each alternative is one named group whose name says how to read it.
# Every core starts a word: the guard in front lets the scanner skip mid-word positions
# without trying the alternatives there.
DATE_CORE = re.compile(
    rf"""
    (?<![a-z0-9'])
    (?:(?=\d)(?:
    (?P<ymd>(?<![.])(?P<ymd_y>\d{{4}})(?P<ymd_sep>[-/.])(?P<ymd_m>\d{{1,2}})
        (?P=ymd_sep)(?P<ymd_d>\d{{1,2}})(?!\d))
  | (?P<dn>(?<![./-])(?P<dn_d>\d{{1,2}})(?:\s*-\s*\d{{1,2}}(?=/))?(?P<dn_sep>[/-]|\.\s?)
        (?P<dn_m>\d{{1,2}})(?P=dn_sep)(?P<dn_y>\d{{4}}|\d{{2}})(?!\w|[.,/]\d|-\d(?!\d?[:.]\d\d)))
  | (?P<dt>(?<![.])(?P<dt_d>\d{{1,2}}){_ORD}
        (?:\s*{_RANGE_WORD}\s*\d{{1,2}}{_ORD})?{_DAY_OF}[\s\-./,]*+
        (?P<dt_mon>{_MON})
        (?:[\s\-./,]*+{_YEAR_WORD}(?P<dt_y>\d{{4}}|'\d{{2}}|{_SHORT_YEAR})(?!\d))?)
    )|(?=[a-z])(?:
    (?P<wn>(?P<wn_wd>{_WD}){_PASARAN}?(?:\s*{_RANGE_WORD}\s*{_WD}{_PASARAN}?)?
        (?:\s+(?P<wn_pod>{_POD}))?[\s,]*+\(?+\s*+
        (?:(?P<wc_n>\d{{8}})(?!\d)
          |(?P<wn_d>\d{{1,2}})(?:\s*-\s*\d{{1,2}}(?=/))?(?P<wn_sep>[/.-])(?P<wn_m>\d{{1,2}})
           (?:(?P=wn_sep)(?P<wn_y>\d{{4}}|\d{{2}}))?(?!\w|[.,/-]\d)))
  | (?P<md>(?P<md_mon>{_MON})[\s\-./,]*+
        (?:(?P<md_d>\d{{1,2}}){_ORD}(?!\d)
            (?:(?:\s*,\s*|\s+)(?P<md_y>\d{{4}})|{_MD_CLOCK_NEXT})
          |{_YEAR_WORD}(?P<my_y>\d{{4}}|'\d{{2}}))(?!\d))
    ))
    """,
    re.X,
)

# A clock time right after a date: "| 14:19 WIB", ", pukul 10.00 wib", "T10:21:00+07:00",
# "malam sekitar pukul 20.00", "at 10:21 AM", "pkl.07.30 wita", "pukul 3 sore", and the
# leads of the European pages we meet ("um 14:32 Uhr", "à 19h24", "a las 09:01", "alle 12:02").
_LEAD = (
    r"(?:(?:pada|at|jam|pukul|pkl|pk|sekitar|sekira|kira-kira|kurang\s+lebih|sktr|um|a(?:\s+las)?"
    r"|alle|ore|as|om|±|~)(?![a-z])\.?[\s,:]*)"
)
# A fraction of a second is kept ("10:21:33.250"); "h" separates French and Spanish minutes
# ("19h24", "20H17"); a range's start is the time ("10.00-12.00 WITA").
_CLOCK = r"""
    (?P<h>\d{1,2})(?:(?P<msep>[:.]|h(?=\d\d))(?P<mi>\d{2})
        (?:[:.](?P<s>\d{2})(?:[.,](?P<frac>\d{1,6}))?)?)?(?!\d)
    (?(s)|(?P<range>\s*(?:-|s/d|s\.d\.?|sampai|hingga)\s*\d{1,2}[:.]\d{2}(?!\d))?)
    (?:\s*(?P<ampm>[ap])\.?\s?m\.?(?![a-z]))?
"""
_ZONE_TAIL = rf"""
    (?:\s*(?P<pod2>{_POD})(?![a-z]))?
    (?:(?P<off>\s*\(?(?:gmt|utc)\s*[+-]\d{{1,2}}(?::?\d{{2}})?|\s*[+-]\d{{2}}(?::?\d{{2}})?)(?!\d)
      |\s*(?P<zone>{_ZONE})(?![a-z]))?
"""
TIME_AFTER = re.compile(
    rf"""
    (?P<sep>t(?=\d)|[\s,;|@()\[\]·•/-]*+)
    (?:(?P<pod1>{_POD})(?![a-z])[\s,]*)?
    (?P<lead>{_LEAD}+)?
    {_CLOCK}
    {_ZONE_TAIL}
    """,
    re.X,
)

# A clock time just before the date it belongs to: "pukul 10.00 WIB, Senin (15/6/2020)".
TIME_BEFORE = re.compile(
    rf"""
    (?<![\d.,:])(?P<lead>(?:pukul|pkl|pk|jam|at)\.?\s*)?
    {_CLOCK}
    {_ZONE_TAIL}
    [\s,;|()\-]*(?:pada\s+)?(?:hari\s+)?(?:(?:tanggal|tgl)\.?\s*)?
    (?:{_WD}{_PASARAN}?[\s,]*\(?\s*)?$
    """,
    re.X,
)

# A clock time later in the sentence than its date: "Kamis (18/6/2020) sejak pukul 20.00",
# "Senin (15/6/2020) warga berkumpul malam hari pukul 8". A lead word is required at that
# distance, and "3 jam 20 menit" (a duration: a number before "jam") is not one.
LATER_CLOCK = re.compile(
    rf"""
    (?<![a-z0-9])
    (?:(?P<pod1>{_POD})(?![a-z])\s+(?:hari\s+)?)?
    (?<!\d\s)(?P<lead>(?:pukul|pkl|pk|jam|at)(?![a-z])\.?\s*)
    {_CLOCK}
    {_ZONE_TAIL}
    """,
    re.X,
)
# What ends the stretch of text a later clock may come from: the end of a sentence (not
# the dot of "Jl." or "pkl."), a semicolon, another weekday or date.
CLAUSE_END = re.compile(rf"(?:[a-z]{{4}}|\d|\))[.!?](?=\s|$)|[;!?]|{_WD}|{_MON}|\d/\d")

# A whole stamp that names a time or a weekday but no calendar day: "Posted by Rina at
# 10:21 AM", "Diposting oleh Susi di 10.21", "Senin 10.21", "pukul 20.00", "10:08 am Fri".
# Anchored at both ends: a sentence that mentions a weekday or a time is not a stamp.
_BYLINE = (
    r"(?:posted|diposting|dikirim|ditulis|written|published|dipublikasikan|diterbitkan"
    r"|diunggah|uploaded|updated|last\s+updated|diperbarui|diperbaharui)(?![a-z])"
    r"(?:\s+(?:by|oleh)\s+[^|,:;()]{1,60}?)?\s+(?:at|di|pada|on|pukul|jam|@)(?![a-z])"
)
_WD_NOT_UNIT = rf"(?<![a-z'])(?:{alternation(w for w in WEEKDAYS if w not in UNITS)})(?![a-z'])"
STAMP = re.compile(
    rf"""
    ^[\s\-|·•(\[]*
    (?P<by>{_BYLINE}[\s,:]*)?
    (?:(?:hari|on)\s+)?
    (?:(?P<wd>{_WD}){_PASARAN}?[\s,|\-]*)?
    (?:(?P<pod1>{_POD})(?![a-z])[\s,]*)?
    (?:(?P<lead>{_LEAD}+)?{_CLOCK}{_ZONE_TAIL})?
    (?:\s*(?P<oclock>uhr|hrs?|hs)(?![a-z])\.?)?
    (?:[\s,|\-]+(?P<wd2>{_WD_NOT_UNIT}))?
    [\s.,;)\]]*$
    """,
    re.X,
)

# A weekday just before a date core (then a year-less "17 Juni" is not a name's tail).
WEEKDAY_BEFORE = re.compile(rf"(?P<wd>{_WD}){_PASARAN}?[\s,(]*$")

# "10 September s/d 12 November 2012": a year-less start borrows the end's year.
RANGE_END_YEAR = re.compile(
    rf"\s*{_RANGE_WORD}\s*\d{{1,2}}{_ORD}\s*(?P<mon>{_MON})[\s,]*(?P<y>\d{{4}})(?!\d)"
)

# Document, money and address markers that make a following number not a date.
DOC_BEFORE = re.compile(
    r"(?<![a-z])(?:no|nomor|nomer|nmr|nr|rt|rw|rp|idr|telp?|hp|wa|kode\s+pos|perwali|perda"
    r"|perbup|pergub|permen\w*|pmk|sk|se|kep|inpres|perpres|uu|pp|pasal|ayat|nik|nip"
    r"|versi|version|ver|v|jl|jln|jalan|gg|gang)"
    r"[.:]?\s*$"
)

# The next word in the original text starts with a capital: "5 Mei Lestari" is a name.
CAPITAL_WORD = re.compile(r"\s+([A-Z][a-z]+)")

_NUM_WORD = (
    r"(?:(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)"
    r"(?:\s+(?:belas|puluh(?:\s+(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan))?))?"
    rf"|sepuluh|sebelas|se\s+(?:belas|puluh)|{alternation(ENGLISH_NUMBERS)})"
)
# "yang lalu", "ago", Javanese "kepungkur" ("2 dina kepungkur": two days ago).
_AGO = r"(?:yang\s+|yg\s+)?(?:lalu|lampau|silam|ago|kepungkur|kapungkur)(?![a-z])|yll(?![a-z])"
_PAIR = rf"(?:\d{{1,3}}|{_NUM_WORD})\s*(?:{alternation(UNITS)})(?![a-z])"
# One "N unit" pair of a relative expression ("1 jam 30 menit yang lalu" has two).
RELATIVE_PAIR = re.compile(
    rf"(?P<n>\d{{1,3}}|{_NUM_WORD})\s*(?P<unit>{alternation(UNITS)})(?![a-z])"
)
RELATIVE = re.compile(
    rf"""
    (?<![\w.,'])(?=[a-z0-9])(?:(?P<pairs>{_PAIR}(?:\s*(?:dan\s+|,\s*)?{_PAIR})*)\s*(?:{_AGO})
  | (?P<se>{alternation(SE_UNITS)})(?![a-z])\s*(?:{_AGO})
  | (?P<word>kemar[ei]n\s+lusa|kemar[ei]n|kmrn|kemarn|hari\s+ini|baru\s+saja|barusan
        |just\s+now|yesterday|today|wingi|dina\s+iki|tadi\s+(?:pagi|siang|sore)
        |setengah\s+jam\s+(?:yang\s+|yg\s+)?lalu|beberapa\s+(?:detik|saat)\s+(?:yang\s+|yg\s+)?lalu)(?![a-z]))
    """,
    re.X,
)

# "bulan Mei lalu", "Maret lalu": the latest such month before the base month. A month
# that is also a given name needs "bulan" ("Mei lalu berkata" is Mei, then she said).
MONTH_AGO = re.compile(
    rf"(?P<bulan>bulan\s+)?(?P<mon>{_MON})\s+(?:yang\s+|yg\s+)?(?:lalu|kemarin)(?![a-z])"
)
# "Senin lalu", "hari Kamis kemarin": full weekday names only ("Min lalu" is admin), and
# not "minggu" ("minggu lalu" is "last week" as often as "last Sunday").
_WD_FULL = alternation(w for w in FULL_WEEKDAYS if w != "minggu")
WEEKDAY_AGO = re.compile(
    rf"(?<![a-z'])(?P<wd>{_WD_FULL})(?![a-z'])\s+(?:yang\s+|yg\s+)?(?:lalu|kemarin)(?![a-z])"
)
DIGIT = re.compile(r"\d")
OFFSET_PARTS = re.compile(r"(?P<named>gmt|utc)?\s*(?P<sign>[+-])(?P<h>\d{1,2}):?(?P<m>\d{2})?$")
# Every relative form contains one of these (checked before the full RELATIVE scan).
RELATIVE_HINT = re.compile(
    r"lalu|ago|yll|silam|lampau|kem|kmrn|hari ini|baru|just|today|yesterday|tadi|pungkur"
    r"|wingi|dina iki"
)
EPOCH_MS = re.compile(r"showcomment=(?P<ms>1\d{12})(?!\d)")
YEAR_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})$")
PLAIN_OFFSET = re.compile(r"^[+-]\d")
CLOCK_LEAD = re.compile(r"pukul|pkl|pk|jam|at")
