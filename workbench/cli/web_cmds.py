"""`workbench publish` (the store as a static site) and `workbench serve` (the workbench in a browser)."""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import os
import shlex
import sys
from pathlib import Path

from .common import CliError, open_store, Subcommands

TOKEN_ENV = "WORKBENCH_SERVE_TOKEN"
TOKEN_MIN = 16


def register(sub: Subcommands) -> None:
    p = sub.add_parser("publish", help="the store as a static website (opens from disk, no network)")
    p.add_argument("dir", type=Path, metavar="DIR", help="where the site goes (created; a later publish updates it)")
    p.add_argument(
        "--audience",
        choices=["internal", "external"],
        default="internal",
        help="external: names and handles become roles, as `report --audience external`",
    )
    p.add_argument(
        "--include-private",
        action="append",
        default=[],
        metavar="ID",
        help="publish this private incident (tagged `private`) too; repeat for more",
    )
    p.add_argument(
        "--private-store", metavar="NAME", help="publish a private store: give its folder name to say you mean it"
    )
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p.add_argument("--today", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("serve", help="the workbench in a browser (textual-serve), on 127.0.0.1 by default")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--token",
        help=f"required when binding beyond this machine ({TOKEN_MIN}+ characters; "
        f"or set ${TOKEN_ENV}); the browser opens /?token=...",
    )
    p.add_argument("--read-only", action="store_true", help="viewers only: every edit is refused")
    p.add_argument("--public-url", help="the URL people open, when behind a proxy (default http://HOST:PORT)")
    p.set_defaults(func=cmd_serve)


# ------------------------------------------------------------------------------------------ publish
def cmd_publish(args: argparse.Namespace) -> int:
    from datetime import date

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from ..services.publish import PublishError, PublishOptions, publish

    store = open_store(args)
    try:
        today = date.fromisoformat(args.today) if args.today else None
    except ValueError:
        raise CliError(f"--today {args.today!r} is not a date like 2025-01-31") from None
    options = PublishOptions(
        audience=args.audience,
        include_private=frozenset(args.include_private),
        private_store=args.private_store,
        search=not args.no_search,
        today=today,
    )
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # The bar goes to stderr and only to a terminal: a cron job's log stays plain.
    with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
        tasks: dict[str, TaskID] = {}

        def step(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        try:
            result = publish(store, args.dir, options, step)
        except PublishError as exc:
            raise CliError(str(exc)) from None
    for problem in result.problems:
        print(f"skipped (could not load): {problem}", file=sys.stderr)
    if result.private_left_out:
        print(
            f"left out {len(result.private_left_out)} private incident(s) (tagged `private`): "
            f"{', '.join(result.private_left_out)}; --include-private ID publishes one",
            file=sys.stderr,
        )
    print(
        f"Published {len(result.published)} incident(s) to {result.out} ({args.audience} audience): "
        f"{len(result.written)} file(s) written, {result.unchanged} unchanged, {len(result.removed)} removed; "
        f"{result.diagrams} diagram(s) drawn"
        + (f", {result.diagrams_as_text} left as Mermaid text" if result.diagrams_as_text else "")
        + ("; search index rebuilt" if result.search_indexed else "")
    )
    print(
        f"Open {result.out / 'index.html'} in a browser; for search serve the folder, e.g. "
        f"python3 -m http.server -b 127.0.0.1 -d {shlex.quote(str(result.out))}"
    )
    return 0


# ------------------------------------------------------------------------------------------ serve
def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve beyond this machine without a token: the workbench can edit and commit."""
    if is_loopback(host):
        return
    if not token:
        raise CliError(
            f"refusing to bind {host}: anyone who can reach it could use the workbench. Pass --token "
            f"(at least {TOKEN_MIN} random characters, e.g. `python3 -c 'import secrets; "
            f"print(secrets.token_urlsafe(24))'`) or set ${TOKEN_ENV}; or keep the default 127.0.0.1"
        )
    if len(token) < TOKEN_MIN:
        raise CliError(f"--token is too short: use at least {TOKEN_MIN} random characters")


def app_command(store_root: Path, read_only: bool) -> str:
    """The command textual-serve runs for each browser tab: this workbench on this store."""
    parts = [sys.executable, "-m", "workbench", "--store", str(store_root), "open"]
    if read_only:
        parts.append("--read-only")
    return shlex.join(parts)


def token_ok(given: str | None, token: str | None) -> bool:
    return token is None or (given is not None and hmac.compare_digest(given.encode(), token.encode()))


def make_server(command: str, host: str, port: int, token: str | None, public_url: str | None, title: str):
    """A textual-serve Server that, given a token, answers only requests that carry it: `?token=` on the
    page (which then sets an HttpOnly cookie) and the cookie on the websocket and downloads."""
    from aiohttp import web
    from textual_serve.server import Server

    cookie = "workbench_token"

    class TokenServer(Server):
        def _allowed(self, request: web.Request) -> bool:
            return token_ok(request.query.get("token") or request.cookies.get(cookie), token)

        async def handle_index(self, request: web.Request):
            if not self._allowed(request):
                return web.Response(status=403, text="workbench serve: open the URL with ?token=... as printed\n")
            response = await Server.handle_index(self, request)
            if token is not None:
                response.set_cookie(cookie, token, httponly=True, samesite="Strict")
            return response

        async def handle_websocket(self, request: web.Request):
            if not self._allowed(request):
                return web.Response(status=403, text="forbidden\n")
            return await Server.handle_websocket(self, request)

        async def handle_download(self, request: web.Request):
            if not self._allowed(request):
                return web.Response(status=403, text="forbidden\n")
            return await Server.handle_download(self, request)

    return TokenServer(command, host=host, port=port, title=title, public_url=public_url)


def cmd_serve(args: argparse.Namespace) -> int:
    store = open_store(args)
    token = args.token or os.environ.get(TOKEN_ENV) or None
    check_bind(args.host, token)
    if not 0 < args.port < 65536:
        raise CliError("--port is a number from 1 to 65535")
    if not is_loopback(args.host):
        print(
            f"WARNING: serving the workbench on {args.host}:{args.port}, beyond this machine. Anyone with the URL "
            f"and token can {'read' if args.read_only else 'read and EDIT'} this store. The connection is plain "
            f"http: put it behind TLS (a reverse proxy) on any network you do not trust.",
            file=sys.stderr,
        )
    server = make_server(
        app_command(store.root, args.read_only),
        args.host,
        args.port,
        token,
        args.public_url,
        f"Postmortem Workbench: {store.root.name}" + (" (read-only)" if args.read_only else ""),
    )
    url = server.public_url + ("/?token=" + token if token else "/")
    print(f"Serving {store.root} {'read-only ' if args.read_only else ''}at {url}  (Ctrl+C stops)", flush=True)
    server.serve()
    return 0
