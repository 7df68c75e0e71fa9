"""A TCP proxy that puts network faults between a client and an API server.

The simulator's own fault hooks (``faults.py``) act inside the server; this acts on the wire, as a
broken network would, whatever the server is. TLS passes through untouched (the proxy never
looks at the bytes). Modes, switchable at any time from the thread that owns the proxy::

    proxy = FaultProxy(("127.0.0.1", api_port)).start()   # clients connect to proxy.port
    proxy.blackhole()       # connections are accepted, no byte is forwarded either way
    proxy.reset_every(2.0)  # every open connection is reset (RST) every 2 s
    proxy.refuse()          # nothing listens: connects are refused; open connections are reset
    proxy.latency(2.0)      # every chunk is delivered 2 s after it arrived, in order
    through(kubeconfig, copy, proxy.address)              # a kubeconfig whose clients use it
    proxy.pass_through()    # back to normal; bytes held by a blackhole are delivered, as TCP
                            # retransmission delivers them after a partition heals

``stats()`` counts connections, resets and bytes, so a test can tell the fault really happened.
"""

from __future__ import annotations

import contextlib
import queue
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import yaml

from rollout_tui.sim.service import Service

POLL = 0.1  # how often idle threads look at the mode
CHUNK = 65536
PASS, BLACKHOLE, REFUSE, RESET, LATENCY = "pass", "blackhole", "refuse", "reset", "latency"


def _hard_close(sock: socket.socket) -> None:
    """Close with an RST (SO_LINGER 0), as a middlebox dropping the connection does."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


@dataclass(eq=False)  # kept in a set: identity, not value
class _Link:
    client: socket.socket
    upstream: socket.socket
    closed: threading.Event = field(default_factory=threading.Event)

    def close(self, reset: bool) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for sock in (self.client, self.upstream):
            if reset:
                _hard_close(sock)
            else:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()


class FaultProxy(Service):
    def __init__(self, target: tuple[str, int], host: str = "127.0.0.1", port: int = 0) -> None:
        self.target = target
        self.host = host
        self.port = port
        self.mode = PASS
        self.delay = 0.0
        self.reset_period = 0.0
        self._lock = threading.Lock()
        self._links: set[_Link] = set()
        self._listener: socket.socket | None = None
        self._stopped = threading.Event()
        self._next_reset = 0.0
        self._counts = {"accepted": 0, "resets": 0, "upstream_failures": 0, "bytes_up": 0, "bytes_down": 0}

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> Self:
        self._listen()
        threading.Thread(target=self._accept_loop, daemon=True, name="netfaults-accept").start()
        threading.Thread(target=self._reset_loop, daemon=True, name="netfaults-reset").start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._unlisten()
        self.reset_now(count=False)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def _listen(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(128)
        sock.settimeout(POLL)
        self.port = sock.getsockname()[1]
        self._listener = sock

    def _unlisten(self) -> None:
        sock, self._listener = self._listener, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # stops listening now, even while accept() polls it
            with contextlib.suppress(OSError):
                sock.close()

    # -- modes ------------------------------------------------------------------------------------
    def _set(self, mode: str, delay: float = 0.0, period: float = 0.0) -> None:
        with self._lock:
            previous, self.mode, self.delay, self.reset_period = self.mode, mode, delay, period
            self._next_reset = time.monotonic() + period
        if mode == REFUSE and previous != REFUSE:
            self._unlisten()
            self.reset_now()
        elif mode != REFUSE and previous == REFUSE:
            self._listen()

    def pass_through(self) -> None:
        self._set(PASS)

    def blackhole(self) -> None:
        self._set(BLACKHOLE)

    def refuse(self) -> None:
        self._set(REFUSE)

    def reset_every(self, seconds: float) -> None:
        self._set(RESET, period=max(0.05, float(seconds)))

    def latency(self, seconds: float) -> None:
        self._set(LATENCY, delay=max(0.0, float(seconds)))

    def reset_now(self, count: bool = True) -> int:
        """Reset every open connection; returns how many."""
        with self._lock:
            links = list(self._links)
            self._links.clear()
            if count:
                self._counts["resets"] += len(links)
        for link in links:
            link.close(reset=True)
        return len(links)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {**self._counts, "open": len(self._links), "mode": self.mode}

    # -- threads ----------------------------------------------------------------------------------
    def _reset_loop(self) -> None:
        while not self._stopped.wait(POLL / 2):
            with self._lock:
                due = self.mode == RESET and time.monotonic() >= self._next_reset
                if due:
                    self._next_reset = time.monotonic() + self.reset_period
            if due:
                self.reset_now()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            listener = self._listener
            if listener is None:
                time.sleep(POLL)
                continue
            try:
                client, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            with self._lock:
                self._counts["upstream_failures"] += 1
            _hard_close(client)  # the server is gone: the client sees its connection reset
            return
        link = _Link(client, upstream)
        with self._lock:
            self._counts["accepted"] += 1
            self._links.add(link)
        for src, dst, counter in ((client, upstream, "bytes_up"), (upstream, client, "bytes_down")):
            threading.Thread(target=self._pump, args=(link, src, dst, counter), daemon=True).start()

    def _pump(self, link: _Link, src: socket.socket, dst: socket.socket, counter: str) -> None:
        """Read ``src`` (not while blackholed: the bytes wait in the kernel, as in a partition)
        and hand each chunk, stamped with its delivery time, to the writer."""
        out: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
        threading.Thread(target=self._deliver, args=(link, dst, out, counter), daemon=True).start()
        try:
            while not link.closed.is_set():
                if self.mode == BLACKHOLE:
                    time.sleep(POLL / 2)
                    continue
                ready, _, _ = select.select([src], [], [], POLL)
                if not ready:
                    continue
                data = src.recv(CHUNK)
                if not data:
                    break
                delay = self.delay if self.mode == LATENCY else 0.0
                out.put((time.monotonic() + delay, data))
        except (OSError, ValueError):
            pass
        out.put(None)

    def _deliver(
        self, link: _Link, dst: socket.socket, out: queue.Queue[tuple[float, bytes] | None], counter: str
    ) -> None:
        try:
            while (item := out.get()) is not None:
                due, data = item
                while (wait := due - time.monotonic()) > 0 and not link.closed.is_set():
                    time.sleep(min(wait, POLL))
                while self.mode == BLACKHOLE and not link.closed.is_set():
                    time.sleep(POLL / 2)  # a chunk read just before the partition waits too
                if link.closed.is_set():
                    return
                dst.sendall(data)
                with self._lock:
                    self._counts[counter] += len(data)  # bytes forwarded, not merely read
        except OSError:
            pass
        with self._lock:
            self._links.discard(link)
        link.close(reset=False)


def through(kubeconfig: str | Path, out: str | Path, address: str) -> Path:
    """A copy of ``kubeconfig`` whose every cluster is reached at ``address`` (host:port): the
    proxy's. TLS still verifies the server's certificate (it names the host, not the port)."""
    doc = yaml.safe_load(Path(kubeconfig).read_text(encoding="utf-8"))
    for cluster in doc.get("clusters") or ():
        scheme = str(cluster["cluster"]["server"]).split("://", 1)[0]
        cluster["cluster"]["server"] = f"{scheme}://{address}"
    target = Path(out)
    target.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    target.chmod(0o600)
    return target
