"""The measured UI process: the real ``RolloutApp`` on a real Fleet, plus a probe that answers the
benchmark's questions from inside the app's own event loop.

Run by ``uiproc.UiProcess`` (usually on a pty, so every frame is really encoded and written to a
terminal). Requests arrive on the fd in ``BENCH_CONTROL_FD`` and answers leave on
``BENCH_REPORT_FD``, one JSON object per line, so the terminal stream carries only what the app
draws. Nothing here changes the app: the probe only reads its state, posts key events like a
terminal would, and uses ``call_after_refresh`` to learn when a change has been painted.

Requests (``{"op": ..., "id": n}``):
    rows      count            answer once the overview holds ``count`` rows and they are painted
    select    key              move the table cursor to row ``key`` (context/namespace/name)
    detail    pods             press Enter; answer when the revision tree holds ``pods`` pods, painted
    action    key, confirm     press ``key`` (e.g. p), Tab to the confirm button, Enter (t0); answer
                               when the selected row shows the rollout's new state, painted
    digest                     count + hash of namespace/name=resourceVersion of the view, and the
                               connection states
    stats                      RSS now/peak, errors caught, connection-state transitions
    alloc                      with BENCH_TRACEMALLOC=1: the first call takes a baseline snapshot,
                               later calls answer the allocation sites that grew most since
    exit
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import sys
import threading
import time
from typing import Any

os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ["no_proxy"] = os.environ["NO_PROXY"]

WAIT_LIMIT = 120.0  # every wait inside the probe is bounded by this


def rss_bytes() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


class Probe:
    def __init__(self, app: Any, report_fd: int, control_fd: int) -> None:
        self.app = app
        self.report = os.fdopen(report_fd, "w", buffering=1, encoding="utf-8")
        self.control_fd = control_fd
        self.errors: list[str] = []
        self.transitions: list[tuple[float, str, str]] = []
        self._phases: dict[str, str] = {}
        self._buffer = b""
        self._requests: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._alloc_baseline: Any = None

    # -- plumbing ---------------------------------------------------------------------------------------
    def send(self, **answer: Any) -> None:
        self.report.write(json.dumps(answer) + "\n")

    def _readable(self) -> None:
        try:
            chunk = os.read(self.control_fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            asyncio.get_running_loop().remove_reader(self.control_fd)
            self._requests.put_nowait({"op": "exit"})
            return
        self._buffer += chunk
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            if line.strip():
                self._requests.put_nowait(json.loads(line))

    async def painted(self) -> float:
        """Wall time right after the next screen refresh has been rendered and written."""
        done: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.app.call_after_refresh(lambda: done.done() or done.set_result(time.time()))
        self.app.screen.refresh()  # make sure a refresh is coming even if nothing else changed
        return await asyncio.wait_for(done, WAIT_LIMIT)

    async def until(self, predicate: Any, limit: float = WAIT_LIMIT, step: float = 0.002) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if predicate():
                return True
            await asyncio.sleep(step)
        return False

    def table(self) -> Any:
        from rollout_tui.ui.overview import OverviewTable

        return self.app.query_one(OverviewTable)

    def _watch_states(self) -> None:
        for context, state in dict(self.app.view.connections).items():
            phase = str(getattr(getattr(state, "phase", None), "value", state))
            if self._phases.get(context) != phase:
                self._phases[context] = phase
                self.transitions.append((time.time(), context, phase))

    # -- the loop ---------------------------------------------------------------------------------------
    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, ctx: self.errors.append(str(ctx.get("exception") or ctx)))
        loop.add_reader(self.control_fd, self._readable)
        await self.until(lambda: self.app.is_running and bool(self.app.screen_stack), step=0.005)
        from textual._context import active_app, active_message_pump

        active_app.set(self.app)  # this task was created outside the app's context
        active_message_pump.set(self.app)
        self.send(op="started", t=time.time())
        self.app.set_interval(0.05, self._watch_states)
        while True:
            request = await self._requests.get()
            op = request.get("op")
            if op == "exit":
                self.send(op="exit", id=request.get("id"), **self.stats())
                self.app.exit()
                return
            try:
                answer = await getattr(self, f"op_{op}")(request)
            except Exception as exc:
                answer = {"error": f"{type(exc).__name__}: {exc}"}
            self.send(op=op, id=request.get("id"), **answer)

    def stats(self) -> dict[str, Any]:
        return {
            "rss": rss_bytes(),
            "peak_rss": peak_rss_bytes(),
            "errors": list(self.errors),
            "transitions": list(self.transitions),
            "t": time.time(),
        }

    # -- operations -------------------------------------------------------------------------------------
    async def op_rows(self, request: dict[str, Any]) -> dict[str, Any]:
        count = int(request["count"])
        ok = await self.until(lambda: self.table().row_count >= count)
        t = await self.painted()
        return {
            "ok": ok,
            "rows": self.table().row_count,
            "t": t,
            "rss": rss_bytes(),
            "peak_rss": peak_rss_bytes(),
        }

    async def op_select(self, request: dict[str, Any]) -> dict[str, Any]:
        key = str(request["key"])
        ok = await self.until(lambda: key in self.app.view.entries, limit=30)
        selected = self.table().select_key(key) if ok else False
        await self.painted()
        return {"ok": bool(selected)}

    def _detail_pods(self) -> int:
        from rollout_tui.ui.detail import DetailPane

        for pane in self.app.screen.query(DetailPane):
            if pane.display and pane.info is not None:
                return sum(len(rs.pods) for rs in pane.info.replicasets)
        return -1

    async def op_detail(self, request: dict[str, Any]) -> dict[str, Any]:
        from rollout_tui.ui.screens.detail import DetailScreen

        pods = int(request["pods"])
        start = time.time()
        self.app.simulate_key("enter")
        via = "enter"
        if not self.app.screen.has_class("-wide") and not await self.until(
            lambda: isinstance(self.app.screen, DetailScreen), limit=1.0
        ):
            # Enter on the table did not open the detail screen (reported as a UI bug): run the
            # action Enter is bound to, and time from here.
            via = "action_open_detail"
            start = time.time()
            self.app.action_open_detail()
        ok = await self.until(lambda: self._detail_pods() >= pods, limit=30)
        t = await self.painted()
        return {"ok": ok, "seconds": t - start, "pods": self._detail_pods(), "via": via}

    async def op_action(self, request: dict[str, Any]) -> dict[str, Any]:
        from rollout_tui.ui.screens.confirm import ConfirmScreen

        entry = self.app.selected_entry
        if entry is None:
            return {"ok": False, "error": "no row selected"}
        before = (entry.state.status, entry.state.step_label, entry.state.resource_version)
        self.app.simulate_key(str(request.get("key", "p")))
        if not await self.until(lambda: isinstance(self.app.screen, ConfirmScreen), limit=10):
            return {"ok": False, "error": "no confirmation dialog"}
        await self.painted()
        self.app.simulate_key("tab")  # focus starts on Cancel
        await self.until(lambda: getattr(self.app.focused, "id", "") == "confirm", limit=5)
        start = time.time()
        self.app.simulate_key("enter")

        def changed() -> bool:
            now = self.app.view.entries.get(entry.key)
            return now is not None and (now.state.status, now.state.step_label) != before[:2]

        ok = await self.until(changed, limit=30, step=0.001)
        t = await self.painted()
        after = self.app.view.entries.get(entry.key)
        return {
            "ok": ok,
            "seconds": t - start,
            "start": start,
            "before": list(before[:2]),
            "after": [after.state.status, after.state.step_label] if after else None,
        }

    async def op_digest(self, request: dict[str, Any]) -> dict[str, Any]:
        lines = sorted(
            f"{e.state.namespace}/{e.state.name}={e.state.resource_version}"
            for e in self.app.view.entries.values()
        )
        states = {
            c: str(getattr(getattr(s, "phase", None), "value", s))
            for c, s in self.app.view.connections.items()
        }
        return {
            "count": len(lines),
            "hash": hashlib.sha1("\n".join(lines).encode()).hexdigest(),
            "states": states,
            "t": time.time(),
        }

    async def op_stats(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.stats()

    async def op_alloc(self, request: dict[str, Any]) -> dict[str, Any]:
        import tracemalloc

        if not tracemalloc.is_tracing():
            return {"top": [], "tracing": False}
        snapshot = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__)]
        )
        if self._alloc_baseline is None:
            self._alloc_baseline = snapshot
            return {"top": [], "tracing": True}
        stats = snapshot.compare_to(self._alloc_baseline, "traceback")[: int(request.get("limit", 8))]
        return {
            "tracing": True,
            "top": [
                {
                    "size_diff": s.size_diff,
                    "count_diff": s.count_diff,
                    "where": [str(f) for f in s.traceback.format()[-6:]],
                }
                for s in stats
            ],
        }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--read-only", action="store_true")
    parser.add_argument("--headless", action="store_true", help="no terminal output (soak)")
    parser.add_argument("--size", default="120x40")
    return parser.parse_args(argv)


def main() -> int:
    started = time.time()
    if os.environ.get("BENCH_TRACEMALLOC"):
        import tracemalloc

        tracemalloc.start(12)
    args = parse_args()
    report_fd, control_fd = int(os.environ["BENCH_REPORT_FD"]), int(os.environ["BENCH_CONTROL_FD"])
    errors: list[str] = []
    threading.excepthook = lambda hook: errors.append(
        f"thread {hook.thread.name if hook.thread else '?'}: {hook.exc_type.__name__}: {hook.exc_value}"
    )
    from rollout_tui.ui.app import RolloutApp
    from rollout_tui.ui.launch import open_fleet

    fleet, names = open_fleet(args.kubeconfig, [], False, None, args.read_only)
    app = RolloutApp(fleet, names, read_only=args.read_only)
    probe = Probe(app, report_fd, control_fd)
    probe.errors = errors
    probe.send(op="boot", t=started)
    fleet.start()
    width, height = (int(x) for x in args.size.split("x"))

    async def both() -> None:
        task = asyncio.create_task(probe.run())
        await app.run_async(headless=args.headless, size=(width, height) if args.headless else None)
        if not task.done():
            task.cancel()

    try:
        asyncio.run(both())
    finally:
        fleet.stop()
    if app.return_code not in (0, None):
        probe.send(op="crashed", return_code=app.return_code)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
