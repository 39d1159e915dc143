"""Who may reach the web chat, and what a caller other than its own page may call.

Logins. `council chat` listens on 127.0.0.1 by default. Any other address needs
logins (Gradio's `auth`), read from COUNCIL_CHAT_AUTH ("user:password") or from
the file named by COUNCIL_CHAT_AUTH_FILE (one "user:password" a line, # comments);
without them the chat refuses to start. Logins given on loopback are used too.

The page's own events. Gradio serves every event of the page (upload, refresh,
document view...) through the same /gradio_api/ routes as the public `ask` API:
`api_visibility="private"` only hides an event from the API docs and from
gradio_client, a hand-written request still runs it. PageGate, an ASGI
middleware in front of Gradio, lets a POST under /gradio_api/ through only when
it calls a public endpoint or comes with the page cookie, which the page itself
receives (HttpOnly, SameSite=Strict) when it is loaded. So an API client, or
another web site in the user's browser, cannot upload or index anything. On a
loopback address the gate also refuses requests for other host names (DNS
rebinding: a web site whose name resolves to 127.0.0.1). Whoever may load the
page may still do what the page does: logins are what protect a chat reachable
from other machines.
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import os
from collections.abc import Mapping
from pathlib import Path

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

AUTH_ENV = "COUNCIL_CHAT_AUTH"
AUTH_FILE_ENV = "COUNCIL_CHAT_AUTH_FILE"
API_PREFIX = "/gradio_api"
PAGE_COOKIE = "council_page"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_CALL_BYTES = 1024 * 1024   # a call's JSON body (a question and its filters) is far smaller
# Routes an API client may POST to for a public endpoint, besides queue/join.
CALL_ROUTES = ("run/", "api/", "call/v2/", "call/")
# Routes that only stop or reset the caller's own event.
OWN_EVENT_ROUTES = frozenset({"cancel", "reset"})


class AccessError(Exception):
    """The chat cannot start with these access settings; the message says what to do."""


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def chat_logins(host: str, env: Mapping[str, str] = os.environ) -> list[tuple[str, str]] | None:
    """The logins the chat asks for, or None (no login) on a loopback address without any.
    Raises AccessError when `host` is reachable from other machines and none are set."""
    logins = _logins_from(env)
    if logins is None and not is_loopback(host):
        raise AccessError(
            f"--host {host} makes the chat reachable from other machines, so it needs logins: set "
            f"{AUTH_ENV}=user:password, or {AUTH_FILE_ENV}=FILE with one user:password a line. "
            f"Or listen on 127.0.0.1 (the default).")
    return logins


def _logins_from(env: Mapping[str, str]) -> list[tuple[str, str]] | None:
    if env.get(AUTH_ENV):
        return [_login(env[AUTH_ENV], AUTH_ENV)]
    if not env.get(AUTH_FILE_ENV):
        return None
    path = Path(env[AUTH_FILE_ENV])
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise AccessError(f"{AUTH_FILE_ENV}: cannot read {path}: {error}") from error
    logins = [_login(line.strip(), f"{path} line {n}") for n, line in enumerate(lines, 1)
              if line.strip() and not line.lstrip().startswith("#")]
    if not logins:
        raise AccessError(f"{AUTH_FILE_ENV}: {path} holds no user:password line")
    return logins


def _login(entry: str, where: str) -> tuple[str, str]:
    user, colon, password = entry.partition(":")
    if not colon or not user.strip() or not password:
        raise AccessError(f"{where}: expected user:password with both parts non-empty")  # never echo a password
    return user.strip(), password


class PageGate:
    """ASGI middleware: see the module docstring. `public` maps the ids of the public
    endpoints to their api names; `hosts`, when given, are the only Host names served."""

    def __init__(self, app, public: dict[int, str], token: str, hosts: frozenset[str] | None = None):
        self.app, self.public, self.token, self.hosts = app, public, token, hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        connection = HTTPConnection(scope)
        if self.hosts is not None and _host_name(connection.headers.get("host", "")) not in self.hosts:
            return await _refuse("unknown host name", 421)(scope, receive, send)
        path, method = scope["path"], scope["method"]
        if method == "GET" and path == "/":
            return await self.app(scope, receive, self._handing_cookie(send))
        if method != "POST" or not path.startswith(API_PREFIX + "/") or self._from_page(connection):
            return await self.app(scope, receive, send)
        route = path[len(API_PREFIX) + 1:].strip("/")
        if route in OWN_EVENT_ROUTES:
            return await self.app(scope, receive, send)
        if route != "queue/join" and not route.startswith(CALL_ROUTES):
            return await _refuse(f"{path} serves the chat page only")(scope, receive, send)
        body = await _read_body(receive)
        if body is None or not self._public_call(route, body):
            return await _refuse("only the public API (/ask) can be called")(scope, receive, send)
        return await self.app(scope, _replay(body, receive), send)

    def _from_page(self, connection: HTTPConnection) -> bool:
        return hmac.compare_digest(connection.cookies.get(PAGE_COOKIE, ""), self.token)

    def _public_call(self, route: str, body: bytes) -> bool:
        """queue/join names its function by fn_index; the named routes by api name, and a
        body may still carry an fn_index, which Gradio then prefers."""
        try:
            call = json.loads(body or b"{}")
        except ValueError:
            return False
        fn_index = call.get("fn_index") if isinstance(call, dict) else None
        if fn_index is not None and not isinstance(fn_index, int):
            return False
        if route == "queue/join":
            return fn_index in self.public
        name = route.rsplit("/", 1)[-1]
        return name in self.public.values() and (fn_index is None or fn_index in self.public)

    def _handing_cookie(self, send):
        cookie = f"{PAGE_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict".encode()

        async def send_with_cookie(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", cookie)]}
            await send(message)
        return send_with_cookie


def _host_name(host: str) -> str:
    """The name in a Host header, without its port ("[::1]:7860" -> "::1")."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _refuse(reason: str, status: int = 403) -> JSONResponse:
    return JSONResponse({"detail": reason}, status_code=status)


async def _read_body(receive) -> bytes | None:
    """The whole request body, or None past MAX_CALL_BYTES."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > MAX_CALL_BYTES:
            return None
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive):
    """A receive() that hands the app the body already read, then the client's messages."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()
    return replay
