"""Headers every answer carries, and the token that guards a server reachable from outside.

Every stored field came from strangers' pages, so pages allow scripts and styles from this
server only (no inline script, nothing from another origin); the snapshot route sets its own,
stricter sandbox. On loopback no token is needed; `tangguh serve` refuses a non-loopback
address without one. With a token, a request passes with ``Authorization: Bearer T``, an
``X-Tangguh-Token: T`` header or the cookie the login form sets.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs, quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tangguh.web.common import page_of, render

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
COOKIE = "tangguh_token"
OPEN_PATHS = ("/login", "/static/")  # the login form and its stylesheet


class SecurityHeaders:
    """Adds the CSP (unless the route set its own) and the other headers to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", CSP.encode()))
                headers.extend(h for h in HEADERS if h[0] not in names)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _same(given: str | None, token: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())


def presented_token(request: Request) -> str | None:
    auth = request.headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-tangguh-token") or request.cookies.get(COOKIE)


class TokenGate:
    """Lets a request through only with the server's token (when it has one)."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.token:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        request = Request(scope)
        if path.startswith(OPEN_PATHS) or _same(presented_token(request), self.token):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/"):
            response: Response = JSONResponse({"error": "token required"}, status_code=401)
        else:
            target = path + (f"?{scope['query_string'].decode()}" if scope["query_string"] else "")
            response = RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        await response(scope, receive, send)


def _next_path(value: str | None) -> str:
    """Only a path on this server: never an open redirect to another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def login_form(request: Request) -> Response:
    page = page_of(request)
    return render(page, "login.html", next=_next_path(request.query_params.get("next")))


async def login_submit(request: Request) -> Response:
    """Checks the token and sets it as an HttpOnly cookie; writes nothing else."""
    token: str | None = request.app.state.token
    body = (await request.body())[:4096].decode("utf-8", "replace")
    fields = parse_qs(body)
    given = (fields.get("token") or [""])[0]
    target = _next_path((fields.get("next") or [""])[0])
    page = page_of(request)
    if not token or not _same(given, token):
        return render(page, "login.html", status=401, next=target, failed=True)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, given, httponly=True, samesite="strict", path="/")
    return response
