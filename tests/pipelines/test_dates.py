"""pipelines.dates: the real-format table, refusals, the ParsedDate contract, round trips."""

from __future__ import annotations

import email.utils
import importlib.util
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import dates_vocab
from pipelines.dates import WIB, ParsedDate, day_less_stamp, normalise, parse_date
from pipelines.dates_fallback import fallback_parse
from pipelines.dates_vocab import FULL_WEEKDAYS, MONTHS, WEEKDAYS


def _load_cases():
    """The shared table, loaded by path (tests/ need not be a package; bench reuses it)."""
    path = Path(__file__).with_name("date_cases.py")
    spec = importlib.util.spec_from_file_location("tangguh_date_cases", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cases = _load_cases()


# ---------------------------------------------------------------------------- the table


def test_table_is_big_enough() -> None:
    assert len(cases.CASES) >= 400
    assert sum(c.expected is None for c in cases.CASES) >= 100
    assert len({(c.text, c.base) for c in cases.CASES}) == len(cases.CASES)  # no repeats


@pytest.mark.parametrize("case", cases.CASES, ids=lambda c: c.text[:48] or "<empty>")
def test_real_format_table(case) -> None:
    parsed = parse_date(case.text, base=case.base)
    assert (parsed.isoformat() if parsed else None) == case.expected
    if case.precision is not None:
        assert parsed is not None and parsed.precision == case.precision


@pytest.mark.parametrize(
    "text",
    [
        "Perwali No 47 Tahun 2020",
        "Nomor 190/PMK.07/2021",
        "RT 05/RW 03",
        "Rp 2.500.000",
        "12.345 warga",
        "0,75",
        "66131",
        "0812-3456-7890",
        "Mei Lestari",
        "Jan Hwa Diana",
        "Min,",
        "Covid-19",
        "31 Februari",
        "31 Februari 2020",
        None,
        "",
    ],
)
def test_issue_refusals_give_none(text: str | None) -> None:
    assert parse_date(text, base=cases.BASE) is None


def test_refusals_never_fall_back_to_now() -> None:
    """Nothing that is not a date comes back as the base instant, whatever the base."""
    for text in ("sekarang juga", "Tahun 2020", "Nomor 5 Tahun 2021", "jam 3"):
        assert parse_date(text, base=cases.BASE) is None


# ---------------------------------------------------------------------------- contract


def test_parsed_date_contract_for_each_precision() -> None:
    minute = parse_date("Senin, 15 Juni 2020 10:21 WITA")
    assert minute is not None and minute.precision == "minute"
    assert minute.isoformat() == "2020-06-15T10:21:00+08:00"
    assert minute.offset_minutes == 480
    assert minute.utc == datetime(2020, 6, 15, 2, 21, tzinfo=UTC)
    assert minute.utc.tzinfo == UTC

    day = parse_date("Selasa, 23 Juni 2020")
    assert day is not None and day.precision == "day"
    assert day.value == datetime(2020, 6, 23, tzinfo=WIB)  # local midnight
    assert day.offset_minutes == 420 and str(day) == "2020-06-23"

    month = parse_date("Juni 2020")
    assert month is not None and month.precision == "month"
    assert month.value == datetime(2020, 6, 1, tzinfo=WIB)

    second = parse_date("2020-06-15T10:21:07-07:00")
    assert second is not None and second.precision == "second"
    assert second.offset_minutes == -420
    assert second.utc == datetime(2020, 6, 15, 17, 21, 7, tzinfo=UTC)


def test_parsed_date_needs_an_aware_value() -> None:
    with pytest.raises(ValueError):
        ParsedDate(datetime(2020, 6, 15), "day")


def test_naive_base_means_jakarta_and_aware_base_is_converted() -> None:
    naive = datetime(2020, 6, 15, 10, 0)
    in_utc = datetime(2020, 6, 15, 3, 0, tzinfo=UTC)
    for base in (naive, in_utc):
        parsed = parse_date("3 jam lalu", base=base)
        assert parsed is not None and parsed.isoformat() == "2020-06-15T07:00:00+07:00"
    # 20:00 UTC is already the next day in Jakarta: "kemarin" is the 15th there.
    late = datetime(2020, 6, 15, 20, 0, tzinfo=UTC)
    assert parse_date("kemarin", base=late).isoformat() == "2020-06-15"


def test_without_base_relative_forms_use_the_current_time() -> None:
    before = datetime.now(WIB).replace(second=0, microsecond=0)
    parsed = parse_date("baru saja")
    after = datetime.now(WIB)
    assert parsed is not None and before <= parsed.value <= after
    two_days = parse_date("2 hari yang lalu")
    assert two_days is not None
    assert two_days.value.date() in {
        before.date() - timedelta(days=2),
        after.date() - timedelta(days=2),
    }


def test_epoch_ms_as_int_and_as_text() -> None:
    assert parse_date(1592191260000) == parse_date("1592191260000")
    parsed = parse_date(1592191260000)
    assert parsed is not None and parsed.utc == datetime(2020, 6, 15, 3, 21, tzinfo=UTC)


def test_normalise_unifies_apostrophes_dashes_and_spaces() -> None:
    assert normalise("Jum\u2019at,\u00a015\u2013Juni  2020") == "Jum'at, 15-Juni 2020"


def test_normalise_folds_accents_and_undoes_mojibake() -> None:
    assert (
        normalise("17 Desèmber 2020, 3 Décembre, 7 März") == "17 Desember 2020, 3 Decembre, 7 Marz"
    )
    assert normalise("12. MÃ¤rz um 9:00") == "12. Marz um 9:00"  # UTF-8 read as cp1252
    assert normalise("10:39\u00c2\u00a0Uhr") == "10:39 Uhr"


def test_word_lists_come_from_the_data_file_and_refuse_contradictions() -> None:
    assert MONTHS["agustos"] == 8 and MONTHS["desember"] == 12 and MONTHS["marz"] == 3
    assert WEEKDAYS["rebo"] == 2 and "min" in WEEKDAYS and "min" not in FULL_WEEKDAYS
    with pytest.raises(ValueError, match="'mei'"):
        dates_vocab._numbered({"id": [["mei"]], "xx": [[], ["mei"]]}, first=1)


def test_template_whitespace_does_not_push_the_date_out_of_reach() -> None:
    parsed = parse_date("\n\t   " * 2000 + "Selasa, 23 Juni 2020", base=cases.BASE)
    assert parsed is not None and parsed.isoformat() == "2020-06-23"


def test_fallback_reads_an_odd_form_and_sanity_checks() -> None:
    now = cases.BASE
    parsed = fallback_parse("juni tanggal 15 2020", now)
    assert parsed is not None and parsed.isoformat() == "2020-06-15"
    assert fallback_parse("perwali no 47 tahun 2020", now) is None
    assert fallback_parse("12 2020", now) is None  # no month word: a count and a year
    assert fallback_parse("15 juni 2031", now) is None  # beyond base year + 1


def test_parse_date_uses_the_fallback_for_orders_the_fast_path_skips() -> None:
    parsed = parse_date("2020 Juni 15", base=cases.BASE)
    assert parsed is not None and parsed.isoformat() == "2020-06-15"


def test_a_refused_date_gets_no_second_opinion(monkeypatch: pytest.MonkeyPatch) -> None:
    """An impossible date is refused on purpose: dateparser must not be asked to guess."""

    def no_fallback(s: str, now: datetime) -> None:
        raise AssertionError(f"fallback consulted for {s!r}")

    monkeypatch.setattr("pipelines.dates.fallback_parse", no_fallback)
    assert parse_date("31 Februari 2020", base=cases.BASE) is None
    assert parse_date("Juara 2 Mei Lestari 2020", base=cases.BASE) is None


# ---------------------------------------------------------------------------- round trips

ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]  # fmt: skip
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
ID_DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ZONE_NAMES = {420: "WIB", 480: "WITA", 540: "WIT"}
SPELLINGS = {n: sorted(k for k, v in MONTHS.items() if v == n) for n in range(1, 13)}
WEEKDAY_SPELLINGS = {n: sorted(k for k, v in WEEKDAYS.items() if v == n) for n in range(7)}

RT_BASE = datetime(2030, 1, 1, tzinfo=WIB)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31, 23, 59))
offsets = st.sampled_from(sorted(ZONE_NAMES))


@settings(max_examples=150, deadline=None)
@given(moment=moments, offset=offsets, data=st.data())
def test_round_trip_indonesian_byline(moment: datetime, offset: int, data) -> None:
    tz = timezone(timedelta(minutes=offset))
    month = data.draw(st.sampled_from(SPELLINGS[moment.month]))
    weekday = data.draw(st.sampled_from(WEEKDAY_SPELLINGS[moment.weekday()]))
    sep = data.draw(st.sampled_from([" ", ", ", " | ", " - ", " pukul ", " pkl. "]))
    clock = data.draw(st.sampled_from([":", "."]))
    case = data.draw(st.sampled_from([str.lower, str.upper, str.title]))
    text = (
        f"{case(weekday)}, {moment.day:02d} {case(month)} {moment.year}{sep}"
        f"{moment.hour:02d}{clock}{moment.minute:02d} {ZONE_NAMES[offset]}"
    )
    parsed = parse_date(text, base=RT_BASE)
    assert parsed is not None, text
    assert parsed.precision == "minute"
    assert parsed.value == moment.replace(second=0, microsecond=0, tzinfo=tz)
    assert parsed.offset_minutes == offset


@settings(max_examples=100, deadline=None)
@given(moment=moments, data=st.data())
def test_round_trip_press_release_numeric(moment: datetime, data) -> None:
    weekday = ID_DAYS[moment.weekday()]
    sep = data.draw(st.sampled_from(["/", "-"]))
    year = data.draw(st.sampled_from([f"{moment.year}", f"{moment.year % 100:02d}"]))
    text = f"{weekday} ({moment.day}{sep}{moment.month}{sep}{year})"
    parsed = parse_date(text, base=RT_BASE)
    assert parsed is not None, text
    assert (parsed.precision, parsed.value.date()) == ("day", moment.date())


@settings(max_examples=100, deadline=None)
@given(moment=moments, offset=st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_round_trip_iso_and_rfc822_and_epoch(moment: datetime, offset: int) -> None:
    aware = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset - offset % 15)))
    for text in (aware.isoformat(), email.utils.format_datetime(aware)):
        parsed = parse_date(text, base=RT_BASE)
        assert parsed is not None, text
        assert parsed.value == aware
        assert parsed.value.utcoffset() == aware.utcoffset()
        assert parsed.precision == "second"
    if aware.year > 2001:  # 13-digit epoch ms (Blogger showComment); shorter is a number
        epoch = parse_date(str(int(aware.timestamp() * 1000)), base=RT_BASE)
        assert epoch is not None and epoch.utc == aware.astimezone(UTC)
        assert epoch.offset_minutes == 420


@settings(max_examples=100, deadline=None)
@given(moment=moments, ms=st.integers(min_value=0, max_value=999))
def test_round_trip_milliseconds_are_kept(moment: datetime, ms: int) -> None:
    """ISO fractions and epoch milliseconds keep their milliseconds; whole seconds show none."""
    aware = moment.replace(microsecond=ms * 1000, tzinfo=WIB)
    want = aware.isoformat(timespec="milliseconds" if ms else "seconds")
    iso = parse_date(aware.isoformat(timespec="milliseconds"), base=RT_BASE)
    assert iso is not None and iso.isoformat() == want and iso.precision == "second"
    if aware.year > 2001:
        epoch_ms = int(aware.timestamp()) * 1000 + ms
        epoch = parse_date(str(epoch_ms), base=RT_BASE)
        assert epoch is not None and epoch.isoformat() == want
        link = f"https://b.blogspot.com/2020/06/p.html?showComment={epoch_ms}#c1"
        assert parse_date(link, base=RT_BASE) == epoch


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
def test_month_first_only_when_day_first_is_impossible(day: date) -> None:
    us = f"{day.month:02d}/{day.day:02d}/{day.year}"
    parsed = parse_date(us, base=RT_BASE)
    assert parsed is not None
    if day.day > 12:  # no month 13..31: it can only be month first
        assert parsed.value.date() == day
    else:  # both readings possible: day first, always
        assert parsed.value.date() == date(day.year, day.day, day.month)


@settings(max_examples=150, deadline=None)
@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    shape=st.sampled_from(
        [
            "{wd} ({d}/{m}/{y})",
            "{d} {mon} {y}",
            "{wd}, {d} {mon} {y} pukul 10.00 WIB",
            "{mon} {d}, {y}",
            "{y}-{m:02d}-{d:02d}",
            "{d}.{m}.{y}",
            "{wd} {d}-{m}-{y}",
        ]
    ),  # fmt: skip
    base=st.sampled_from([datetime(2020, 6, 20, tzinfo=WIB), RT_BASE]),
)
def test_a_written_year_is_kept_or_refused_never_changed(day, shape, base) -> None:
    text = shape.format(
        wd=ID_DAYS[(day.weekday() + 3) % 7],  # a wrong weekday must not move the year either
        d=day.day,
        m=day.month,
        y=day.year,
        mon=ID_MONTHS[day.month - 1],
    )
    parsed = parse_date(text, base=base)
    if day.year > base.year + 1:
        assert parsed is None, text
    else:
        assert parsed is not None and parsed.value.date() == day, text


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2027, 12, 31)))
def test_dateparser_fallback_never_moves_a_written_year(day: date) -> None:
    text = f"{day.year} {ID_MONTHS[day.month - 1].lower()} tanggal {day.day}"
    parsed = fallback_parse(text, datetime(2026, 6, 1, tzinfo=WIB))
    assert parsed is None or parsed.value.year == day.year


@settings(max_examples=100, deadline=None)
@given(
    base=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    weekday=st.integers(0, 6),
)
def test_day_less_stamps_resolve_against_the_base(base, hour, minute, weekday) -> None:
    base = base.replace(tzinfo=WIB)
    time_only = parse_date(f"pukul {hour:02d}.{minute:02d} WIB", base=base)
    assert time_only is not None
    assert time_only.value == datetime.combine(base.date(), datetime.min.time(), WIB).replace(
        hour=hour, minute=minute
    )
    day_only = parse_date(ID_DAYS[weekday], base=base)
    assert day_only is not None and day_only.precision == "day"
    assert day_only.value.weekday() == weekday
    assert 0 <= (base.date() - day_only.value.date()).days <= 6
    with_time = parse_date(
        f"{EN_DAYS[weekday]} at {hour % 12 or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}",
        base=base,
    )
    assert with_time is not None and with_time.value.weekday() == weekday
    assert with_time.value <= base < with_time.value + timedelta(days=7)
    assert (with_time.value.hour, with_time.value.minute) == (hour, minute)


def test_day_less_stamp_tells_callers_which_stamps_need_a_day() -> None:
    assert day_less_stamp("Posted by Rina at 10:21 AM") == "time"
    assert day_less_stamp("pukul 20.00") == "time"
    assert day_less_stamp("Senin 10.21") == "weekday"
    assert day_less_stamp("Senin") == "weekday"
    for text in ("Senin, 15 Juni 2020", "kemarin", "10.21", "Min,", None, ""):
        assert day_less_stamp(text) is None, text


@settings(max_examples=100, deadline=None)
@given(
    hour=st.integers(0, 99),
    minute=st.integers(0, 99),
    shape=st.sampled_from(["pukul {h}.{mi}", "{h}:{mi} WIB", "Senin, 15 Juni 2020 pukul {h}.{mi} WIB",
                           "15 Juni 2020 {h}:{mi}", "Kamis (18/6/2020) sejak pukul {h}.{mi}"]),
)  # fmt: skip
def test_impossible_clocks_are_refused_never_now(hour: int, minute: int, shape: str) -> None:
    text = shape.format(h=f"{hour:02d}", mi=f"{minute:02d}")
    parsed = parse_date(text, base=RT_BASE)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        assert parsed is None, text
    else:
        assert parsed is not None and parsed.precision == "minute", text


@settings(max_examples=100, deadline=None)
@given(moment=moments)
def test_round_trip_english_blogger_header(moment: datetime) -> None:
    text = f"{EN_DAYS[moment.weekday()]}, {EN_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"
    parsed = parse_date(text, base=RT_BASE)
    assert parsed is not None and parsed.isoformat() == moment.date().isoformat()


def _twelve_hour(hour: int) -> tuple[int, str]:
    """An Indonesian 12-hour reading of a 24-hour hour."""
    if hour == 0:
        return 12, "malam"
    if 1 <= hour <= 4:
        return hour, "dini hari"
    if 5 <= hour <= 10:
        return hour, "pagi"
    if hour in (11, 12):
        return hour, "siang"
    if hour in (13, 14):
        return hour - 12, "siang"
    if 15 <= hour <= 17:
        return hour - 12, "sore"
    return hour - 12, "malam"


@settings(max_examples=100, deadline=None)
@given(moment=moments, minute_shown=st.booleans())
def test_round_trip_part_of_day_clock(moment: datetime, minute_shown: bool) -> None:
    hour, part = _twelve_hour(moment.hour)
    minute = moment.minute if minute_shown else 0
    clock = f"{hour}.{minute:02d}" if minute_shown else f"{hour}"
    text = f"{ID_DAYS[moment.weekday()]} ({moment.day}/{moment.month}/{moment.year}) pukul {clock} {part}"
    parsed = parse_date(text, base=RT_BASE)
    assert parsed is not None, text
    assert parsed.value == moment.replace(minute=minute, second=0, microsecond=0, tzinfo=WIB)


@settings(max_examples=100, deadline=None)
@given(moment=moments, back=st.integers(min_value=0, max_value=364))
def test_round_trip_yearless_resolves_to_latest_on_or_before_base(
    moment: datetime, back: int
) -> None:
    base = datetime.combine(moment.date() + timedelta(days=back), datetime.min.time(), WIB)
    text = f"{ID_DAYS[moment.weekday()]} ({moment.day}/{moment.month})"
    parsed = parse_date(text, base=base)
    assert parsed is not None and parsed.value.date() == moment.date()


@settings(max_examples=100, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=99),
    unit=st.sampled_from(["detik", "menit", "jam", "hari", "minggu"]),
    ago=st.sampled_from(["yang lalu", "yg lalu", "lalu"]),
)
def test_round_trip_relative(amount: int, unit: str, ago: str) -> None:
    base = datetime(2024, 3, 10, 14, 37, 25, tzinfo=WIB)
    parsed = parse_date(f"{amount} {unit} {ago}", base=base)
    assert parsed is not None
    step = {"detik": timedelta(seconds=1), "menit": timedelta(minutes=1),
            "jam": timedelta(hours=1), "hari": timedelta(days=1), "minggu": timedelta(weeks=1)}  # fmt: skip
    then = base - amount * step[unit]
    if unit in {"detik", "menit", "jam"}:
        assert parsed.precision == "minute"
        assert parsed.value == then.replace(second=0)
    else:
        assert parsed.precision == "day"
        assert parsed.value.date() == then.date()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_none_or_an_aware_date(text: str) -> None:
    parsed = parse_date(text, base=RT_BASE)
    assert parsed is None or (
        parsed.value.utcoffset() is not None and parsed.value.year <= RT_BASE.year + 1
    )


@settings(max_examples=100, deadline=None)
@given(number=st.integers(min_value=1000, max_value=10**12), year=st.integers(1990, 2030))
def test_money_counts_and_regulations_are_refused(number: int, year: int) -> None:
    dotted = f"{number:,}".replace(",", ".")
    for text in (f"Rp {dotted}", f"{dotted} orang", f"Perwali No {number % 100} Tahun {year}"):
        assert parse_date(text, base=RT_BASE) is None, text


def test_date_wins_over_a_contradicting_weekday() -> None:
    parsed = parse_date("Kamis, 15 Juni 2020")  # 15 June 2020 was a Monday
    assert parsed is not None and parsed.value.date() == date(2020, 6, 15)


_TOKENS = st.one_of(
    st.sampled_from(
        sorted(MONTHS)
        + sorted(WEEKDAYS)
        + [
            "pukul",
            "pkl.",
            "jam",
            "WIB",
            "WITA",
            "WIT",
            "GMT",
            "UTC",
            "(",
            ")",
            "/",
            ":",
            ".",
            "-",
            ",",
            "|",
            "+",
            "'",
            "s/d",
            "lalu",
            "yang",
            "hari",
            "ini",
            "kemarin",
            "lusa",
            "sore",
            "malam",
            "dini",
            "pagi",
            "am",
            "pm",
            "T",
            "Z",
            "at",
            "tahun",
            "bulan",
            "No",
            "Rp",
            "Legi",
            "ago",
            "se",
            "jam",
        ]  # fmt: skip
    ),
    st.integers(min_value=0, max_value=99999).map(str),
    st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}"),
    st.integers(min_value=0, max_value=2**45).map(str),
)


@settings(max_examples=300, deadline=None)
@given(tokens=st.lists(_TOKENS, max_size=12), glue=st.sampled_from([" ", "", "/", ":", "."]))
def test_date_shaped_noise_never_raises(tokens: list[str], glue: str) -> None:
    """Fuzz with date vocabulary: parse_date answers None or a sane date, never an error."""
    text = glue.join(tokens)
    parsed = parse_date(text, base=RT_BASE)
    if parsed is not None:
        assert parsed.value.utcoffset() is not None
        assert 1900 <= parsed.value.year <= RT_BASE.year + 1
        assert parsed.precision in {"month", "day", "minute", "second"}


@settings(max_examples=100, deadline=None)
@given(moment=moments)
def test_round_trip_sample_web_formats(moment: datetime) -> None:
    """Every date shape the bundled sample web prints parses back to what it printed."""
    fmt = pytest.importorskip("tangguh.sampleweb.localefmt")
    minute = moment.replace(second=0, microsecond=0, tzinfo=WIB)
    day = moment.date().isoformat()
    expected = {
        fmt.long_date(moment): day,
        fmt.long_date(moment, "en"): day,
        fmt.day_month_year(moment): day,
        fmt.day_month_year(moment, "en"): day,
        fmt.gov_list_date(moment): day,
        fmt.short_date(moment): day,
        fmt.header_today(moment): day,
        fmt.news_byline(moment): minute.isoformat(),
        fmt.blogger_comment_time(moment): minute.isoformat(),
        fmt.blogger_comment_time(moment, "en"): minute.isoformat(),
        fmt.wp_comment_time(moment): minute.isoformat(),
    }
    for text, iso in expected.items():
        parsed = parse_date(text, base=RT_BASE)
        assert parsed is not None and parsed.isoformat() == iso, text
