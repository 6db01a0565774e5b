"""Outcome reasons for what loopback cannot show (DNS) and the bookkeeping of a run's URLs.

The reasons seen over real HTTP are tested in tests/tangguh/test_fetch_outcomes.py.
"""

from __future__ import annotations

from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError

from scrapers.middlewares.resolver import PrivateAddressRefused
from scrapers.middlewares.robots import RobotsUnavailable
from scrapers.outcomes import Outcomes, UrlOutcome, reason_for_exception

URL = "https://blog.example.id/2020/06/a.html"


def raised_from(exc: BaseException, cause: BaseException) -> BaseException:
    try:
        raise exc from cause
    except type(exc) as caught:
        return caught


def test_dns_failures_name_the_host():
    assert reason_for_exception(CannotResolveHostError("no results"), URL) == (
        "dns",
        "blog.example.id",
    )
    # robots.txt could not be fetched because the host does not resolve: say that
    robots = RobotsUnavailable("CannotResolveHostError: x", CannotResolveHostError("x"))
    assert reason_for_exception(robots, URL)[0] == "dns"


def test_a_name_resolving_to_a_private_address_is_named_with_it():
    wrapped = raised_from(
        CannotResolveHostError("DNS lookup failed"),
        PrivateAddressRefused("blog.example.id", "10.1.2.3"),
    )
    assert reason_for_exception(wrapped, URL) == ("private_address", "blog.example.id (10.1.2.3)")
    outcome = UrlOutcome(URL, error=wrapped)
    Outcomes().finish(outcome)
    assert "blog.example.id (10.1.2.3) is a private" in outcome.describe()
    assert "--allow-private" in outcome.describe() and outcome.error is None


def test_timeouts_say_the_limit_not_the_url():
    exc = DownloadTimeoutError(f"Getting {URL} took longer than 30.0 seconds.")
    assert reason_for_exception(exc, URL) == ("timeout", "no answer within 30.0 s")


def test_a_redirect_to_another_scheme_is_a_refusal():
    outcome = UrlOutcome(URL, final_url=URL, status=302, location="file:///etc/passwd")
    Outcomes().finish(outcome)
    assert outcome.reason == "scheme" and "redirected to file:" in outcome.describe()


def test_variants_share_the_outcome_and_unreached_urls_are_unfinished():
    outcomes = Outcomes()
    first = outcomes.begin(URL)
    first.final_url, first.status, first.documents = URL, 200, 1
    outcomes.finish(first, aliases=[URL + "?m=1"])
    report = outcomes.report([URL, URL + "?m=1", "https://lain.example.id/b"])
    assert [o.reason for o in report] == [None, "same_page", "unfinished"]
    assert [o.ok for o in report] == [True, True, False]
    assert report[1].describe() == f"same page as {URL}"
    assert outcomes.begin(URL + "?m=1").documents == 1
    not_modified = UrlOutcome(URL, final_url=URL, status=304)
    outcomes.finish(not_modified)
    assert not_modified.ok and not_modified.reason == "unchanged"
