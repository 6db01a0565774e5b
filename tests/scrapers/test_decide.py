"""The field decision (scrapers.pages.decide): properties that hold for any body, not one page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.pages.decide import (
    KEEP_WORDS,
    TRUSTED,
    Candidate,
    decide_body,
    first_candidate,
    usable,
)

# Paragraphs of real-looking words; each one distinct so containment means agreement.
_WORD = st.sampled_from(
    [
        "warga",
        "kampung",
        "tangguh",
        "posko",
        "dapur",
        "umum",
        "lumbung",
        "pangan",
        "relawan",
        "isolasi",
        "mandiri",
        "kelurahan",
        "polres",
        "satgas",
        "covid",
        "vaksinasi",
        "masker",
        "bantuan",
        "sembako",
        "ronda",
    ]
)


@st.composite
def paragraphs(draw, min_size=1, max_size=8, words=(12, 30)):
    out = []
    for i in range(draw(st.integers(min_size, max_size))):
        body = draw(st.lists(_WORD, min_size=words[0], max_size=words[1]))
        out.append(f"Paragraf {i} {draw(st.uuids()).hex[:8]} " + " ".join(body) + ".")
    return out


def _t(lines, confidence=0.8):
    return Candidate("\n".join(lines), "template", confidence, ".entry-content")


def _g(lines):
    return Candidate("\n".join(lines), "general", 0.6, "trafilatura")


def _lines(candidate):
    return [line for line in (candidate.value or "").split("\n") if line.strip()]


@settings(max_examples=60, deadline=None)
@given(paragraphs(), paragraphs())
def test_a_template_never_loses_to_a_much_longer_agreeing_general_body(body, more):
    """The general body holds every line of the template's and much more: whatever wins, no
    line the template found is lost."""
    general = _g(body + more + more)
    chosen = decide_body(_t(body), lambda: general)
    kept = set(_lines(chosen))
    assert set(body) <= kept


@settings(max_examples=60, deadline=None)
@given(paragraphs(), paragraphs(max_size=3))
def test_a_trusted_template_is_taken_as_is(body, other):
    template = _t(body, confidence=TRUSTED)
    asked = []
    chosen = decide_body(template, lambda: asked.append(1) or _g(other))
    assert chosen == template
    assert not asked, "the general extractor must not run for a trusted template"


@settings(max_examples=60, deadline=None)
@given(paragraphs(min_size=2), paragraphs(min_size=2))
def test_disagreeing_bodies_go_to_the_general_reading(body, other):
    """A template container that holds other text than the page's general reading matched
    the wrong box (a teaser, a widget)."""
    chosen = decide_body(_t(other), lambda: _g(body))
    assert chosen.source == "general"
    assert _lines(chosen) == body


@settings(max_examples=60, deadline=None)
@given(paragraphs(min_size=2), st.lists(st.sampled_from(["Bagikan:", "Share this", "Tags: a"])))
def test_agreeing_bodies_lose_the_template_edges_the_general_reading_left_out(body, junk):
    chosen = decide_body(_t(junk + body + junk), lambda: _g(body))
    assert _lines(chosen) == body


@settings(max_examples=60, deadline=None)
@given(paragraphs(min_size=3), paragraphs(max_size=2, words=(KEEP_WORDS, 20)))
def test_decided_text_is_only_ever_text_some_candidate_had(body, extra):
    template = _t(body[:2] + extra + body[2:])
    general = _g(body)
    region = Candidate("\n".join(body + extra), "general", 0.3, "main element")
    chosen = decide_body(template, lambda: general, main=lambda: region)
    known = set(body) | set(extra)
    assert set(_lines(chosen)) <= known


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(str.strip))
def test_a_page_with_any_text_is_never_left_without_a_body(short):
    """Too short to look like a body on every side: the longest text still wins."""
    chosen = decide_body(_t([short]), lambda: None)
    assert chosen is not None and chosen.value == short


def test_no_candidate_at_all_is_no_body():
    assert decide_body(None, lambda: None) is None


def test_a_fragment_of_a_longer_agreeing_body_gives_way_to_it():
    body = [
        f"Paragraf {i} " + "warga kampung tangguh membangun posko bersama " * 3 for i in range(8)
    ]
    chosen = decide_body(_t(body[3:4]), lambda: _g(body))
    assert chosen.source == "general" and _lines(chosen) == body


def test_json_ld_body_breaks_a_disagreement_in_the_templates_favour():
    template = ["Isi artikel yang benar tentang posko warga kampung tangguh di Blitar " * 2]
    general = ["Berita lain yang sama sekali berbeda tentang harga cabai di pasar kota " * 2]
    metadata = Candidate(template[0], "metadata", 0.7, "json-ld articleBody")
    chosen = decide_body(_t(template), lambda: _g(general), metadata=metadata)
    assert chosen.source == "template"


def test_main_region_paragraphs_left_out_are_added_in_place():
    body = [
        f"Paragraf {i} " + "warga kampung tangguh membangun posko bersama " * 3 for i in range(4)
    ]
    missed = "Paragraf tambahan " + "relawan dapur umum memasak untuk warga isolasi " * 4
    region = Candidate("\n".join([*body[:2], missed, *body[2:]]), "general", 0.3, "main")
    chosen = decide_body(None, lambda: _g(body), main=lambda: region)
    assert _lines(chosen) == [*body[:2], missed, *body[2:]]
    assert chosen.via.endswith("+ main element")


def test_usable_counts_characters_for_scripts_written_without_spaces():
    assert usable(Candidate("子どもへの虐待をなくすための法律ができて" * 8, "general", 0.6))
    assert not usable(Candidate("Baca selengkapnya", "template", 0.8))


def test_first_candidate_calls_later_options_only_when_reached():
    calls = []

    def later():
        calls.append(1)
        return Candidate("x", "general", 0.4)

    found = first_candidate(
        [Candidate(None, "metadata", 0.9), Candidate("a", "template", 0.8), later]
    )
    assert found.value == "a" and not calls
