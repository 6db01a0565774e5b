from datetime import UTC, datetime

import pytest

from search.dates import doc_bounds, parse_bound


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2020", False, "2020-01-01"),
        ("2020", True, "2020-12-31"),
        ("2020-02", True, "2020-02-29"),
        ("2021-2", True, "2021-02-28"),
        ("2020-06-14", False, "2020-06-14"),
        (None, False, None),
        ("  ", True, None),
    ],
)
def test_parse_bound(text, end, expected):
    assert parse_bound(text, end=end) == expected


@pytest.mark.parametrize("bad", ["2020-13", "2021-02-30", "kemarin", "20-01-01", "2020/01"])
def test_parse_bound_rejects_malformed_dates(bad):
    with pytest.raises(ValueError):
        parse_bound(bad, end=False)


def test_doc_bounds_from_partial_and_full_dates():
    assert doc_bounds("2020-06", None) == ("2020-06-01", "2020-06-30")
    assert doc_bounds("2020-06-14T23:30:00+07:00", None) == ("2020-06-14", "2020-06-14")
    assert doc_bounds(None, None) is None
    assert doc_bounds("31 Februari", None) is None


def test_doc_bounds_fall_back_to_utc_instant_in_jakarta_time():
    when = datetime(2021, 1, 31, 20, 0, tzinfo=UTC)
    assert doc_bounds(None, when) == ("2021-02-01", "2021-02-01")
