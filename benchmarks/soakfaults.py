"""The soak's parts: the scripted operator, the fault schedule, and "the screen matches the server".

Everything is judged on the pty (``screenread``), never inside the UI process:
- **detected**: the first frame after the fault began whose header (or the wall's banner)
  admits staleness (``screenread.connection`` == "stale");
- **recovered**: the first frame after the server is reachable again on which the header says
  live, its total equals the server's rollout count, no row shows a rollout the server no longer
  has, and the rollout created during the fault is on screen (when the fleet fits the screen).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import screenread
from ptyscreen import PtyScreen, Screen
from simproc import SimProcess

from rollout_tui.sim.netfaults import FaultProxy

CHURN_NAMES = r"new-\d+|offline-\d+|spare-\d+"  # what simhost's churn and world_moves create
RECOVER_LIMIT = 120.0
KEY_GAP = 0.35  # between keys: an Esc followed too fast by a key reads as Alt+key


def names_pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = sorted({re.escape(n) for n in names}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join([*alternatives, CHURN_NAMES]) + r")(?![\w-])")


@dataclass
class Server:
    """The server's rollouts at one moment, and what a converged screen must show."""

    count: int
    names: set[str]
    must_show: str = ""  # created while the UI could not see the server

    @classmethod
    def read(cls, sim: SimProcess, must_show: str = "") -> Server:
        rows = sim.request(op="rows")
        names = {name for _ns, name, _seq in rows["rows"]}
        # the churn may have deleted the rollout created during the fault meanwhile: then a
        # screen without it is right (the harness took that for "never converged")
        return cls(int(rows["count"]), names, must_show if must_show in names else "")

    def matches(self, screen: Screen, pattern: re.Pattern[str]) -> bool:
        return not self.mismatch(screen, pattern)

    def mismatch(self, screen: Screen, pattern: re.Pattern[str]) -> str:
        """Why ``screen`` does not show this state ("" when it does)."""
        if screenread.connection(screen) != "live":
            return "the header does not say live"
        if not screenread.header_total_is(screen, self.count):
            return f"the header's total is not {self.count}"
        shown = set()
        for y, match in screenread.row_lines(screen, pattern):
            name = match.group(0)
            if screen.lines[y][match.end() : match.end() + 1] == "…":  # cut to the column's width
                name = next((n for n in self.names if n.startswith(name)), name)
            shown.add(name)
        if shown - self.names:
            return f"rows for rollouts that are gone: {sorted(shown - self.names)}"
        if len(shown) >= self.count and self.must_show and self.must_show not in shown:
            return f"{self.must_show} (created during the fault) is not shown"
        return ""


class Operator:
    """An SRE browsing through the pty: cursor moves, detail open/close, the metric chart, a
    filter typed and cleared, the status filter cycled. ``step`` does one action."""

    SCRIPT: tuple[tuple[str, ...], ...] = (
        ("down", "down", "down"),
        ("enter",),
        ("m",),
        ("escape",),
        ("escape",),
        ("up", "up"),
        ("/", "w", "e", "b"),
        ("escape",),
        ("f",),
        ("f",),
        ("down",),
        ("enter",),
        ("escape",),
    )

    def __init__(self, pty: PtyScreen) -> None:
        self.pty = pty
        self.actions = 0
        self._next = 0

    def step(self) -> None:
        for key in self.SCRIPT[self._next % len(self.SCRIPT)]:
            self.pty.send(key)
            time.sleep(KEY_GAP)
        self._next += 1
        self.actions += 1

    def browse(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and self.pty.alive():
            self.step()
            time.sleep(0.3)

    def home(self) -> None:
        """Back to the unfiltered overview, whatever is open; on a loaded machine an Esc can be
        read with the next key as Alt+key, so it is repeated until the header is back (a fault
        judged on a detail screen, which has no header, would never be seen to converge)."""
        for _ in range(3):
            self.pty.send("escape")
            time.sleep(KEY_GAP)
        for _ in range(6):
            screen = self.pty.snapshot()
            if screen is not None and screenread.connection(screen) != "unknown":
                break
            self.pty.send("escape")
            time.sleep(KEY_GAP * 2)
        for _ in range(8):
            header = str(self.pty.with_screen(lambda s: s.header) or "")
            if "status:" not in header.lower():
                break
            self.pty.send("f")
            time.sleep(KEY_GAP)


@dataclass
class Fault:
    name: str
    description: str
    begin: Callable[[], None]
    end: Callable[[], None]
    lasts: float


@dataclass
class FaultResult:
    fault: str
    description: str
    round: int
    detected_s: float | None
    recovered_s: float | None
    errors_escaped: int
    server_rollouts: int
    notes: list[str] = field(default_factory=list)


def schedule(sim: SimProcess, proxy: FaultProxy, d: float) -> list[Fault]:
    """Issue 12's faults: on the wire (proxy) and in the server (the simulator's hooks)."""

    def simfault(name: str, **kw: Any) -> Callable[[], None]:
        return lambda: sim.request(op="fault", name=name, **kw)

    def both(*fns: Callable[[], None]) -> Callable[[], None]:
        return lambda: [fn() for fn in fns] and None

    nothing: Callable[[], None] = lambda: None  # noqa: E731
    reset = simfault("reset")
    return [
        Fault("blackhole", f"TCP blackhole {d * 1.5:g} s (accepted, nothing forwarded)", proxy.blackhole,
              proxy.pass_through, d * 1.5),
        Fault("resets", f"connections reset every 2 s for {d:g} s", lambda: proxy.reset_every(2.0),
              proxy.pass_through, d),
        Fault("refused", f"connections refused for {d:g} s", proxy.refuse, proxy.pass_through, d),
        Fault("latency", f"2 s latency per chunk for {d:g} s", lambda: proxy.latency(2.0),
              proxy.pass_through, d),
        Fault("drop", "every watch cut abruptly (simulator)", simfault("drop"), nothing, 0.0),
        Fault("stall", f"watch streams silent {d:g} s (simulator)", simfault("stall", seconds=d),
              simfault("unstall"), d),
        Fault("expire", "410 Expired: history forgotten (simulator)", simfault("expire"), nothing, 0.0),
        Fault("errors429", f"every request 429 for {d:g} s, watches cut (simulator)",
              both(simfault("errors", code=429, count=1_000_000), simfault("drop")), reset, d),
        Fault("errors503", f"every request 503 for {d:g} s, watches cut (simulator)",
              both(simfault("errors", code=503, count=1_000_000), simfault("drop")), reset, d),
        Fault("restart", f"API server down {d:g} s, then restarted on the same port (simulator)",
              simfault("down", seconds=d), nothing, d),
    ]  # fmt: skip


def run_fault(
    fault: Fault,
    round_: int,
    sim: SimProcess,
    pty: PtyScreen,
    pattern_of: Callable[[], re.Pattern[str]],
    recover_limit: float = RECOVER_LIMIT,
    min_window: float = 1.0,
) -> FaultResult:
    """Apply one fault (for at least `min_window` seconds, while the cluster moves on); detection
    and recovery read from the pty."""
    errors_before = pty.tracebacks
    detected: list[float] = []
    remove = pty.observe(
        lambda s: detected.append(s.t) if not detected and screenread.connection(s) == "stale" else None
    )
    started = time.time()
    fault.begin()
    moves = sim.request(op="world_moves")  # the cluster moves on while the UI cannot see it
    time.sleep(max(fault.lasts, min_window))
    fault.end()
    sim.request(op="churn", rate=0)
    back = time.time()
    if fault.name == "restart":
        back = started + fault.lasts  # the simulator serves again after its down time
    server = Server.read(sim, must_show=str(moves["added"]).split("/", 1)[1])
    pattern = pattern_of()
    hit = pty.wait_for(lambda s: server.matches(s, pattern), recover_limit)
    remove()
    screen = pty.snapshot()
    notes = []
    if hit is None:
        shown = "\n".join(line.rstrip() for line in screen.lines) if screen else "(nothing painted)"
        why = server.mismatch(screen, pattern) if screen else "nothing painted"
        notes.append(f"never matched the server ({server.count} rollouts; {why}):\n{shown}")
    return FaultResult(
        fault.name,
        fault.description,
        round_,
        detected[0] - started if detected else None,
        max(0.0, hit.t - back) if hit else None,
        pty.tracebacks - errors_before,
        server.count,
        notes,
    )
