"""``rollout-tui --wall --serve HOST:PORT``: the wall in a web page, for a TV's kiosk browser.

Served by textual-serve (Textualize's own bridge: an aiohttp page with xterm.js, one websocket
per browser): every visit runs its own ``rollout-tui --wall ...`` process with this command's
own flags (kubeconfig, contexts, namespaces), so each browser has its own read-only session and
a closed tab ends its process. Read-only holds in kube, where a wall has no write path at all;
keys typed into the page reach only the wall's ``q`` (which ends that page's session).

Binding beyond loopback needs ``--serve-public`` and prints a warning: the page shows what the
kubeconfig's credentials can see to anyone who can reach the port, without authentication.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from collections.abc import Sequence
from typing import Any

SERVE_FLAGS = ("--serve", "--serve-public")
WARNING = (
    "warning: serving the wall on {host}:{port}, beyond this machine: anyone who can reach it sees "
    "what these credentials can see (the page has no authentication; put it behind one)"
)


class ServeError(ValueError):
    """A bad --serve address, or one beyond loopback without --serve-public."""


def parse_address(text: str) -> tuple[str, int]:
    """ "HOST:PORT", ":PORT" (loopback) or "[::1]:PORT"."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ServeError(f"--serve wants HOST:PORT (e.g. 127.0.0.1:8080), not {text!r}")
    host = host.strip("[]") or "127.0.0.1"
    return host, int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def visit_command(argv: Sequence[str]) -> str:
    """The command each visit runs: this one's flags without the serve flags, always --wall."""
    words: list[str] = []
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--serve":
            skip = True
            continue
        if word.startswith("--serve=") or word == "--serve-public":
            continue
        words.append(word)
    if "--wall" not in words:
        words.append("--wall")
    return shlex.join([sys.executable, "-m", "rollout_tui", *words])


def serve(address: str, public: bool, argv: Sequence[str]) -> int:
    host, port = parse_address(address)
    if not is_loopback(host):
        if not public:
            raise ServeError(
                f"--serve {address}: not a loopback address; add --serve-public to serve beyond this machine"
            )
        print(WARNING.format(host=host, port=port), file=sys.stderr)
    server = _wall_server(visit_command(argv), host, port)
    server.serve()
    return 0


def _wall_server(command: str, host: str, port: int) -> Any:
    from aiohttp import web
    from textual_serve.server import Server

    class WallServer(Server):
        async def handle_index(self, request: web.Request) -> Any:
            # the page's websocket URL names the host the browser used: a server bound to
            # 0.0.0.0 would otherwise send browsers to http://0.0.0.0:PORT
            self.public_url = f"{request.scheme}://{request.host}"
            return await super().handle_index(request)

    return WallServer(command, host=host, port=port, title="rollout-tui wall")
