"""What every page shares: the templates, the language, the search form's parameters."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from tangguh.web import i18n
from tangguh.web.highlight import highlight

KINDS = ("post", "comment", "article")
PLATFORMS = ("blogger", "wordpress", "generic")
PER_PAGE = 20
MAX_PAGE = 500  # deeper pages: download the result set instead


def _templates() -> Environment:
    folder = Path(str(resources.files("tangguh.web").joinpath("templates")))
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(("html", "svg", "xml"), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["highlight"] = highlight
    env.filters["href"] = lambda url: safe_href(url)
    return env


TEMPLATES = _templates()


def safe_href(url: str | None) -> str | None:
    """A link target only for http(s) URLs: a stored ``javascript:`` or ``data:`` URL is
    shown as text, never linked."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


@dataclass
class Page:
    """The request's language and how to build links that keep it."""

    request: Request
    lang: str
    explicit: bool

    @property
    def t(self) -> dict[str, str]:
        return i18n.labels(self.lang)

    def url(self, path: str, **params: Any) -> str:
        """``path`` with ``params`` (empty ones dropped) and the chosen language."""
        clean = {k: v for k, v in params.items() if v not in (None, "", False)}
        if self.explicit and "lang" not in clean:
            clean["lang"] = self.lang
        return path + ("?" + urlencode(clean, doseq=True) if clean else "")

    def switch(self, code: str) -> str:
        """This page in another language."""
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        return self.request.url.path + "?" + urlencode([*params, ("lang", code)])


def page_of(request: Request) -> Page:
    lang, explicit = i18n.choose(
        request.query_params.get("lang"), request.headers.get("accept-language")
    )
    return Page(request, lang, explicit)


def render(page: Page, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    html = TEMPLATES.get_template(template).render(
        page=page, t=page.t, lang=page.lang, token_login=False, **ctx
    )
    return HTMLResponse(html, status_code=status, headers={"Content-Language": page.lang})


@dataclass
class SearchParams:
    """The search form, parsed and checked once (shareable: it is all in the URL)."""

    q: str = ""
    since: str = ""
    until: str = ""
    kind: str = ""
    site: str = ""
    platform: str = ""
    page: int = 1
    interval: str = ""
    stack: str = "kind"

    @classmethod
    def from_request(cls, request: Request) -> tuple[SearchParams, list[str]]:
        """The parameters and the problems found in them (as label keys or messages)."""
        qp = request.query_params
        errors: list[str] = []

        def text(name: str, limit: int = 2000) -> str:
            return (qp.get(name) or "").strip()[:limit]

        p = cls(
            q=text("q"),
            since=text("since", 10),
            until=text("until", 10),
            kind=text("kind", 20).lower(),
            site=text("site", 255),
            platform=text("platform", 20).lower(),
            interval=text("interval", 5),
            stack=text("stack", 4) or "kind",
        )
        if p.kind and p.kind not in KINDS:
            errors.append("error_kind")
            p.kind = ""
        if p.platform and p.platform not in PLATFORMS:
            errors.append("error_platform")
            p.platform = ""
        if p.interval not in ("", "week", "month"):
            p.interval = ""
        if p.stack not in ("kind", "site"):
            p.stack = "kind"
        try:
            p.page = min(max(int(qp.get("page") or 1), 1), MAX_PAGE)
        except ValueError:
            p.page = 1
        from search.dates import parse_bound

        for name in ("since", "until"):
            try:
                parse_bound(getattr(p, name) or None, end=name == "until")
            except ValueError:
                errors.append(f"error_{name}")
                setattr(p, name, "")
        return p, errors

    def link_params(self, **changes: Any) -> dict[str, Any]:
        params = {
            "q": self.q,
            "since": self.since,
            "until": self.until,
            "kind": self.kind,
            "site": self.site,
            "platform": self.platform,
            "interval": self.interval,
            "stack": self.stack if self.stack != "kind" else "",
        }
        params.update(changes)
        return params
