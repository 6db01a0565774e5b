"""Rule checks with evidence: each check says passed or not and why, in Indonesian.

Per-entry checks are pure functions of the contest and one `FetchedEntry`; `one_entry_per` and
`max_similarity` compare entries with each other (and with stored documents), so `judge`
runs them over the whole list. An unreachable entry fails `reachable` and every other check
is "not checked" (`passed = None`), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from .contest import Contest
from .entries import Entry, canonical_url, site_key
from .fetch import FetchedEntry
from .idfmt import date_id, datetime_id, number_id, score_id
from .originality import CorpusIndex, StoredDoc, containment, shingles
from .text import body_text, clean_fragment, count_words, fold, snippet

_URL_DAY = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])/")
RULE_NAMES = (
    "reachable", "window", "min_words", "max_words", "required_keywords", "required_hashtags",
    "required_links", "min_images", "platforms", "one_entry_per", "max_similarity",
)  # fmt: skip


@dataclass
class Check:
    name: str
    passed: bool | None  # None: not checked (entry unreachable, or data missing)
    evidence: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Verdict:
    entry: Entry
    fetched: FetchedEntry
    checks: dict[str, Check]
    word_count: int | None = None
    flags: list[str] = field(default_factory=list)
    number: int | None = None  # blind-reading number, eligible entries only

    @property
    def fails(self) -> list[str]:
        return [name for name, c in self.checks.items() if c.passed is False]

    @property
    def eligible(self) -> bool:
        return not self.fails


# --- per-entry checks --------------------------------------------------------------------


def check_reachable(f: FetchedEntry) -> Check:
    if f.reachable:
        where = f.final_url or f.url
        moved = f" (dialihkan ke {where})" if f.final_url and f.final_url != f.url else ""
        text = f"dapat diakses, HTTP {f.status or 200}{moved}"
        data: dict[str, Any] = {}
        if f.declared:
            # Not a failure: a custom domain or a mirror does this too. The committee decides.
            claims = ", ".join(f"{name} {url}" for name, url in sorted(f.declared.items()))
            text += (
                f"; halaman ini menyebut alamatnya sendiri di host lain ({claims}): blog domain "
                "sendiri, cermin/arsip, atau salinan tulisan orang lain; perlu dilihat juri"
            )
            data["declared_elsewhere"] = dict(f.declared)
        return Check("reachable", True, text, data)
    if f.error is None and (f.status or 200) < 400:
        # The page answered but no post body was recognised (layout change, soft block).
        return Check(
            "reachable",
            False,
            "halaman terambil tetapi isi postingan tidak terbaca; perlu cek manual",
        )
    return Check("reachable", False, f"tidak dapat diakses: {f.error or 'tidak ada jawaban'}")


def check_window(contest: Contest, f: FetchedEntry) -> tuple[Check, list[str]]:
    tz = contest.tz
    flags: list[str] = []
    when, precision, from_url = f.published, f.published_precision, False
    if when is None:
        # WordPress permalinks carry the publication day: better than nothing, and said so.
        day = _URL_DAY.search(urlsplit(f.final_url or f.url).path)
        if day is None:
            raw = f" (teks tanggal: {f.published_raw!r})" if f.published_raw else ""
            missing = f"tanggal terbit tidak ditemukan{raw}; perlu cek manual"
            return Check("window", False, missing), flags
        try:
            when = datetime(*map(int, day.groups()), tzinfo=tz)
        except ValueError:
            return Check("window", False, "tanggal terbit tidak ditemukan; perlu cek manual"), flags
        precision, from_url = "day", True
    published = when.astimezone(tz)
    data: dict[str, Any] = {"published_at": published.isoformat()}
    if from_url:
        data = {"published_at": published.date().isoformat(), "published_from": "url"}
    if precision in ("day", "month"):
        # Only the date is known: the entry gets the benefit of the doubt on boundary days.
        shown = date_id(published, tz)
        day = published.date()
        early = contest.opens is not None and day < contest.opens.date()
        late = contest.closes is not None and day > contest.closes.date()
        note = " (dari URL; jam tidak diketahui)" if from_url else " (jam tidak diketahui)"
        text = f"terbit {shown}{note}"
    else:
        shown = datetime_id(published, tz)
        early = contest.opens is not None and published < contest.opens
        late = contest.closes is not None and published > contest.closes
        text = f"terbit {shown}"
    if early:
        text += f", sebelum periode dibuka {datetime_id(contest.opens, tz)}"  # type: ignore[arg-type]
    elif late:
        text += f", setelah batas {datetime_id(contest.closes, tz, seconds=True)}"  # type: ignore[arg-type]
    else:
        text += " (dalam periode lomba)"
    edited = f.updated is not None and f.updated > when
    if edited and contest.closes is not None and f.updated > contest.closes:  # type: ignore[operator]
        text += f"; diubah {datetime_id(f.updated, tz)}, setelah batas"
        flags.append("edited_after_close")
        data["updated_at"] = f.updated.astimezone(tz).isoformat()
    return Check("window", not (early or late), text, data), flags


def check_words(contest: Contest, words: int, hidden: int) -> list[Check]:
    rules = contest.rules
    hidden_note = f"; {number_id(hidden)} kata tersembunyi tidak dihitung" if hidden else ""
    out = []
    if rules.min_words is not None:
        ok = words >= rules.min_words
        relation = "minimal" if ok else "kurang dari minimal"
        out.append(
            Check(
                "min_words",
                ok,
                f"{number_id(words)} kata ({relation} {number_id(rules.min_words)}){hidden_note}",
                {"word_count": words},
            )
        )
    if rules.max_words is not None:
        ok = words <= rules.max_words
        relation = "maksimal" if ok else "melebihi maksimal"
        out.append(
            Check(
                "max_words",
                ok,
                f"{number_id(words)} kata ({relation} {number_id(rules.max_words)}){hidden_note}",
                {"word_count": words},
            )
        )
    return out


_GAP = r"[\s\u00a0\u200b]+"


def _phrase_pattern(phrase: str, *, folded: bool) -> re.Pattern[str]:
    """Whole-word, case-insensitive, any run of spaces between the words."""
    source = fold(phrase) if folded else phrase
    parts = [re.escape(p) for p in source.split() if p]
    return re.compile(r"(?<!\w)" + _GAP.join(parts) + r"(?!\w)", re.IGNORECASE)


def _find_phrase(phrase: str, text: str) -> tuple[list[re.Match[str]], str]:
    """Matches in the text as written; diacritic-insensitive retry on the folded text."""
    hits = list(_phrase_pattern(phrase, folded=False).finditer(text))
    if hits:
        return hits, text
    folded = fold(text)
    return list(_phrase_pattern(phrase, folded=True).finditer(folded)), folded


def check_keywords(contest: Contest, text: str, title: str | None) -> Check:
    found, missing = [], []
    for keyword in contest.rules.required_keywords:
        hits, where = _find_phrase(keyword, text)
        if hits:
            first = hits[0]
            found.append(
                f'"{keyword}" {len(hits)}x, mis. "{snippet(where, first.start(), first.end())}"'
            )
        else:
            in_title = bool(title and _find_phrase(keyword, title)[0])
            missing.append(f'"{keyword}"' + (" (hanya ada di judul)" if in_title else ""))
    if missing:
        evidence = "tidak ditemukan di isi postingan: " + ", ".join(missing)
        if found:
            evidence += "; ada: " + "; ".join(found)
        return Check("required_keywords", False, evidence, {"missing": missing})
    return Check("required_keywords", True, "ada: " + "; ".join(found))


_HASHTAG = re.compile(r"(?<![\w&/])#(\w+)")


def check_hashtags(contest: Contest, text: str) -> Check:
    present = {}
    for m in _HASHTAG.finditer(text):
        present.setdefault(m.group(1).casefold(), "#" + m.group(1))
    missing = [h for h in contest.rules.required_hashtags if h[1:].casefold() not in present]
    have = [present[h[1:].casefold()] for h in contest.rules.required_hashtags if h not in missing]
    if missing:
        others = f" (tagar yang ada: {', '.join(sorted(present.values()))})" if present else ""
        return Check(
            "required_hashtags",
            False,
            f"tagar tidak ditemukan: {', '.join(missing)}{others}",
            {"missing": missing},
        )
    return Check("required_hashtags", True, f"ada tagar {', '.join(have)}")


@dataclass(frozen=True)
class BodyLink:
    href: str
    text: str
    rel: tuple[str, ...]

    @property
    def nofollow(self) -> bool:
        return any(r in ("nofollow", "ugc", "sponsored") for r in self.rel)


def body_links(body_html: str | None, base: str) -> list[BodyLink]:
    root = clean_fragment(body_html)
    if root is None:
        return []
    out = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        absolute = _unwrap_redirect(urljoin(base, href))
        rel = tuple((a.get("rel") or "").lower().split())
        out.append(BodyLink(absolute, " ".join(a.text_content().split()), rel))
    return out


def _unwrap_redirect(url: str) -> str:
    """`https://www.google.com/url?q=REAL` (pasted from search results) -> REAL."""
    parts = urlsplit(url)
    if (parts.hostname or "").endswith("google.com") and parts.path == "/url":
        target = parse_qs(parts.query).get("q") or parse_qs(parts.query).get("url")
        if target:
            return target[0]
    return url


def _link_matches(link: str, required: str) -> bool:
    wanted = required.lower().strip()
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if "/" not in wanted.removeprefix("https://").removeprefix("http://"):
        bare = wanted.removeprefix("https://").removeprefix("http://")
        return host == bare or host.endswith("." + bare)
    return wanted.split("://", 1)[-1] in link.lower().split("://", 1)[-1]


def check_links(contest: Contest, links: list[BodyLink]) -> Check:
    rules = contest.rules
    evidence, missing = [], []
    for required in rules.required_links:
        matching = [link for link in links if _link_matches(link.href, required)]
        good = (
            [link for link in matching if not link.nofollow]
            if rules.required_links_dofollow
            else matching
        )
        if good:
            link = good[0]
            note = " (rel=nofollow)" if link.nofollow else ""
            label = f' "{link.text}"' if link.text else ""
            evidence.append(f"tautan {link.href}{label}{note}")
        elif matching:
            missing.append(f"{required} (hanya tautan nofollow: {matching[0].href})")
        else:
            missing.append(required)
    if missing:
        text = "tidak ada tautan di isi postingan ke: " + ", ".join(missing)
        if rules.required_links_dofollow and any("nofollow" in m for m in missing):
            text = "tautan wajib dofollow tidak ada: " + ", ".join(missing)
        return Check("required_links", False, text, {"missing": missing})
    return Check("required_links", True, "; ".join(evidence))


_EMOJI_SRC = re.compile(r"s\.w\.org/images/core/emoji|/emoji/|blogblog\.com/img/icon", re.I)


def body_images(body_html: str | None, base: str) -> list[str]:
    """Distinct content images in the body: lazy-load attributes read, pixels and emoji skipped."""
    root = clean_fragment(body_html)
    if root is None:
        return []
    seen: list[str] = []
    for img in root.iter("img", "amp-img"):
        src = (
            img.get("data-src")
            or img.get("data-lazy-src")
            or img.get("data-original")
            or img.get("src")
            or (img.get("srcset") or "").split(" ")[0]
        )
        if not src or src.startswith("data:"):
            continue
        if img.get("width") in ("0", "1") or img.get("height") in ("0", "1"):
            continue
        classes = (img.get("class") or "").lower()
        if "emoji" in classes or "wp-smiley" in classes or _EMOJI_SRC.search(src):
            continue
        absolute = urljoin(base, src.strip())
        if absolute not in seen:
            seen.append(absolute)
    return seen


def check_images(contest: Contest, images: list[str]) -> Check:
    need = contest.rules.min_images or 0
    names = ", ".join(urlsplit(src).path.rsplit("/", 1)[-1] or src for src in images[:5])
    more = ", …" if len(images) > 5 else ""
    listing = f" ({names}{more})" if images else ""
    ok = len(images) >= need
    relation = "minimal" if ok else "kurang dari minimal"
    return Check(
        "min_images",
        ok,
        f"{len(images)} gambar di isi postingan{listing} ({relation} {need})",
        {"images": images},
    )


def platform_of(f: FetchedEntry) -> str:
    host = urlsplit(f.final_url or f.url).hostname or ""
    host = host.lower()
    if re.search(r"\.blogspot\.[a-z.]+$", host) or f.platform == "blogger":
        return "blogger"
    if host.endswith(".wordpress.com") or f.platform == "wordpress":
        return "wordpress"
    if host.endswith("kompasiana.com"):
        return "kompasiana"
    if host == "medium.com" or host.endswith(".medium.com"):
        return "medium"
    return "other"


def platform_allowed(platform: str, allowed: tuple[str, ...]) -> bool:
    """`other` in the contest's list admits every platform that is not Blogger or WordPress."""
    if platform in allowed:
        return True
    return "other" in allowed and platform not in ("blogger", "wordpress")


def check_platform(contest: Contest, f: FetchedEntry) -> Check:
    platform = platform_of(f)
    host = urlsplit(f.final_url or f.url).hostname or ""
    ok = platform_allowed(platform, contest.rules.platforms)
    allowed = ", ".join(contest.rules.platforms)
    text = f"platform {platform} ({host})" + ("" if ok else f", tidak diizinkan (boleh: {allowed})")
    return Check("platforms", ok, text, {"platform": platform})


# --- whole-list checks -------------------------------------------------------------------


def person_key(entry: Entry, fetched: FetchedEntry | None, by: str) -> str | None:
    if by == "email":
        email = (entry.email or "").strip().lower()
        if "@" not in email:
            return None
        local, domain = email.rsplit("@", 1)
        local = local.split("+", 1)[0]
        if domain in ("gmail.com", "googlemail.com"):
            local, domain = local.replace(".", ""), "gmail.com"
        return f"{local}@{domain}"
    if by == "name":
        return fold(entry.name) if entry.name and entry.name.strip() else None
    url = (fetched.final_url if fetched and fetched.final_url else None) or entry.url
    return site_key(url) or None


def _order_key(v: Verdict) -> tuple:
    """Who came first: the post's own publication time, then the form timestamp, then the row."""
    published = v.fetched.published
    submitted = v.entry.submitted
    return (
        published.timestamp() if published else float("inf"),
        submitted.timestamp() if submitted else float("inf"),
        v.entry.row,
    )


def check_one_entry_per(contest: Contest, verdicts: list[Verdict]) -> None:
    by = contest.rules.one_entry_per
    assert by is not None
    label = {"email": "email", "name": "nama", "site": "blog"}[by]
    groups: dict[str, list[Verdict]] = {}
    for v in verdicts:
        if not v.fetched.reachable:
            # A dead URL is not an entry: a resubmission with a corrected URL must not be
            # counted as someone's second entry.
            continue
        key = person_key(v.entry, v.fetched, by)
        if key is None:
            v.checks["one_entry_per"] = Check(
                "one_entry_per", None, f"{label} peserta kosong; tidak dapat diperiksa"
            )
        else:
            groups.setdefault(key, []).append(v)
    for key, group in groups.items():
        # Submission order decides here (the form is where "one entry" is counted).
        group.sort(
            key=lambda v: (
                v.entry.submitted.timestamp() if v.entry.submitted else float("inf"),
                v.entry.row,
            )
        )
        first = group[0]
        first.checks["one_entry_per"] = Check(
            "one_entry_per",
            True,
            f"entri pertama dari {label} {key}"
            + (f" ({len(group)} entri terkirim)" if len(group) > 1 else ""),
        )
        for i, v in enumerate(group[1:], start=2):
            v.checks["one_entry_per"] = Check(
                "one_entry_per",
                False,
                f"entri ke-{i} dari {label} {key}; entri pertama di baris {first.entry.row} "
                f"({first.entry.url})",
                {"first_row": first.entry.row, "first_url": first.entry.url},
            )


def check_similarity(contest: Contest, verdicts: list[Verdict], corpus: CorpusIndex | None) -> None:
    limit = contest.rules.max_similarity
    assert limit is not None
    reachable = [v for v in verdicts if v.fetched.reachable]
    sets = [shingles(v.fetched.text) for v in reachable]
    order = [_order_key(v) for v in reachable]
    # Entries indexed like stored documents: only pairs sharing a shingle are compared.
    index = CorpusIndex()
    for v, hashes in zip(reachable, sets, strict=True):
        index.add(StoredDoc(url=v.entry.url, text=""), hashes)
    position = {id(v): i for i, v in enumerate(reachable)}
    for v in verdicts:
        if not v.fetched.reachable:
            v.checks["max_similarity"] = Check("max_similarity", None, "tidak diperiksa")
            continue
        me = position[id(v)]
        mine = sets[me]
        best, best_score, worst_earlier, worst_score = None, 0.0, None, 0.0
        for other, common in sorted(index.overlaps(mine).items()):
            if other == me:
                continue
            score = common / len(mine)
            if score > best_score:
                best, best_score = other, score
            if order[other] < order[me] and score > worst_score:
                worst_earlier, worst_score = other, score
        parts = []
        data: dict[str, Any] = {}
        failed = False
        pick = worst_earlier if worst_earlier is not None and worst_score > limit else best
        if pick is not None:
            culprit = reachable[pick]
            culprit_score = containment(mine, sets[pick])
            earlier = order[pick] < order[me]
            when = "lebih awal" if earlier else "lebih akhir"
            parts.append(
                f"kemiripan tertinggi {score_id(culprit_score)} dengan entri baris "
                f"{culprit.entry.row} ({culprit.entry.url}, terbit {when})"
            )
            data["most_similar_entry"] = {
                "url": culprit.entry.url,
                "score": round(culprit_score, 4),
            }
            failed = earlier and culprit_score > limit
        else:
            parts.append("tidak ada entri lain yang mirip")
        if corpus is not None and len(corpus):
            exclude = {v.entry.url, v.fetched.final_url or v.entry.url}
            matches = [
                m
                for m in corpus.best(mine, exclude=exclude, limit=5)
                if canonical_url(m.url) not in {canonical_url(u) for u in exclude}
            ]
            own_time = v.fetched.published
            earlier_docs = [
                m
                for m in matches
                if m.published is None or own_time is None or m.published < own_time
            ]
            if matches:
                top = matches[0]
                parts.append(f"dengan dokumen tersimpan {score_id(top.score)} ({top.url})")
                data["most_similar_document"] = {"url": top.url, "score": round(top.score, 4)}
            if earlier_docs and earlier_docs[0].score > limit:
                failed = True
                doc = earlier_docs[0]
                if doc is not matches[0]:
                    parts.append(f"dokumen lebih awal {score_id(doc.score)} ({doc.url})")
                if doc.published is None:
                    # Undated: it cannot prove who was first, so the committee must look.
                    parts.append("tanggal dokumen tidak diketahui, perlu cek manual")
                data["most_similar_document"]["earlier"] = doc.url
        verdict_text = "; ".join(parts) + f" (batas {score_id(limit)})"
        v.checks["max_similarity"] = Check("max_similarity", not failed, verdict_text, data)


# --- the whole run -------------------------------------------------------------------------


def judge(
    contest: Contest,
    entries: list[Entry],
    fetched: dict[str, FetchedEntry],
    *,
    corpus: CorpusIndex | None = None,
) -> list[Verdict]:
    """Check every entry against every rule of `contest`; the order of `entries` is kept."""
    active = contest.active_rules()
    verdicts = []
    for entry in entries:
        f = fetched.get(entry.url) or FetchedEntry(url=entry.url, error="tidak diambil")
        checks: dict[str, Check] = {"reachable": check_reachable(f)}
        verdict = Verdict(entry=entry, fetched=f, checks=checks)
        if f.reachable:
            if f.declared:
                verdict.flags.append("declared_elsewhere")
            _entry_checks(contest, verdict)
        verdicts.append(verdict)
    if "one_entry_per" in active:
        check_one_entry_per(contest, verdicts)
    if "max_similarity" in active:
        check_similarity(contest, verdicts, corpus)
    for v in verdicts:
        # Fixed order; an unreachable entry lists every rule as not checked.
        ordered = {}
        for name in active:
            ordered[name] = v.checks.get(name) or Check(
                name, None, "tidak diperiksa: entri tidak dapat diakses"
            )
        v.checks = ordered
    return verdicts


def _entry_checks(contest: Contest, v: Verdict) -> None:
    f = v.fetched
    rules = contest.rules
    text, hidden = body_text(f.body_html)
    if not f.text:
        f.text = text
    v.word_count = count_words(text)
    base = f.final_url or f.url
    if contest.opens or contest.closes:
        check, flags = check_window(contest, f)
        v.checks["window"] = check
        v.flags.extend(flags)
    for check in check_words(contest, v.word_count, hidden):
        v.checks[check.name] = check
    if rules.required_keywords:
        v.checks["required_keywords"] = check_keywords(contest, text, f.title)
    if rules.required_hashtags:
        v.checks["required_hashtags"] = check_hashtags(contest, text)
    manual = "HTML isi postingan tidak tersedia (hanya teks); perlu cek manual"
    if rules.required_links:
        v.checks["required_links"] = (
            Check("required_links", None, manual)
            if f.body_from_text
            else check_links(contest, body_links(f.body_html, base))
        )
    if rules.min_images is not None:
        v.checks["min_images"] = (
            Check("min_images", None, manual)
            if f.body_from_text
            else check_images(contest, body_images(f.body_html, base))
        )
    if f.body_from_text and (rules.required_links or rules.min_images is not None):
        v.flags.append("manual_check")
    if rules.platforms:
        v.checks["platforms"] = check_platform(contest, f)
    if hidden:
        v.flags.append("hidden_text")


def published_iso(v: Verdict, contest: Contest) -> str | None:
    p = v.fetched.published
    if p is None:
        window = v.checks.get("window")
        return window.data.get("published_at") if window is not None else None
    local = p.astimezone(contest.tz)
    if v.fetched.published_precision == "day":
        return local.date().isoformat()
    return local.isoformat()


def as_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
