from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from judging_helpers import EXAMPLE_CONTEST

from tangguh.judging.contest import ContestError, load_contest, parse_contest

WIB = ZoneInfo("Asia/Jakarta")


def test_example_contest_loads_with_local_window():
    contest = load_contest(EXAMPLE_CONTEST)
    assert contest.name == "Lomba Blogger Kampung Tangguh Semeru"
    assert contest.opens == datetime(2020, 6, 24, 0, 0, tzinfo=WIB)
    assert contest.closes == datetime(2020, 6, 28, 23, 59, 59, tzinfo=WIB)
    # 28 June 17:00 UTC is already 29 June 00:00 WIB: past the close.
    assert datetime(2020, 6, 28, 17, 0, tzinfo=ZoneInfo("UTC")) > contest.closes
    assert contest.rules.required_hashtags == ("#KampungTangguhSemeru",)
    assert contest.criteria == {"isi": 60.0, "kreativitas": 25.0, "tampilan": 15.0}
    assert contest.active_rules()[:2] == ["reachable", "window"]
    assert "max_similarity" in contest.active_rules()


def test_every_rule_is_optional():
    contest = parse_contest({"contest": {"name": "Lomba kecil"}})
    assert contest.active_rules() == ["reachable"]
    assert contest.opens is None and contest.criteria == {}


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"contest": {"name": "x"}, "rules": {"min_word": 300}}, "min_word"),
        ({"contest": {"name": "x", "deadline": "2020-06-28"}}, "deadline"),
        ({"contest": {"name": "x"}, "rules": {"min_words": "300"}}, "rules.min_words"),
        ({"contest": {"name": "x"}, "rules": {"min_words": True}}, "rules.min_words"),
        ({"contest": {"name": "x"}, "rules": {"required_hashtags": "#a"}}, "required_hashtags"),
        ({"contest": {"name": "x"}, "rules": {"one_entry_per": "phone"}}, "one_entry_per"),
        ({"contest": {"name": "x"}, "rules": {"platforms": ["tumblr"]}}, "tumblr"),
        ({"contest": {"name": "x"}, "rules": {"max_similarity": 1.5}}, "max_similarity"),
        ({"contest": {"name": "x", "timezone": "Asia/Jakartaa"}}, "timezone"),
        ({"contest": {"name": "x", "opens": "24 Juni 2020"}}, "contest.opens"),
        ({"contest": {"name": "x"}, "scoring": {"criteria": {"isi": -1}}}, "isi"),
        ({"contest": {"name": "x"}, "judges": {}}, "[judges]"),
        ({"contest": {}}, "contest.name"),
    ],
)
def test_bad_keys_and_types_are_named(data, named):
    with pytest.raises(ContestError) as info:
        parse_contest(data)
    assert named in str(info.value)


def test_bare_dates_cover_whole_days_and_closes_before_opens_is_refused():
    contest = parse_contest(
        {"contest": {"name": "x", "opens": "2020-06-24", "closes": "2020-06-28"}}
    )
    assert contest.closes is not None and contest.closes.hour == 23 and contest.closes.minute == 59
    with pytest.raises(ContestError, match="closes"):
        parse_contest({"contest": {"name": "x", "opens": "2020-06-28", "closes": "2020-06-24"}})


def test_toml_syntax_error_names_file(tmp_path):
    path = tmp_path / "contest.toml"
    path.write_text('[contest]\nname = "x\n', encoding="utf-8")
    with pytest.raises(ContestError, match="contest.toml"):
        load_contest(path)


def test_explicit_offset_is_converted_to_contest_zone():
    contest = parse_contest({"contest": {"name": "x", "closes": "2020-06-28T16:59:59+00:00"}})
    assert contest.closes == datetime(2020, 6, 28, 23, 59, 59, tzinfo=WIB)
