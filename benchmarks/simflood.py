"""The event generator of the benchmark simulator: status changes (MODIFIED events) at a set rate.

Each change writes ``status.message = "seq#N"`` (N grows by one per event across the whole run,
so the overview's MESSAGE cell tells which change a row shows) and ``status.benchTs`` (server
wall time). Event N changes the rollout at position ``N % pool`` of the pool, so whoever reads
``seq#N`` on a screen knows which rollout it is and when its next change was emitted.

Rate: ``Store.mutate`` decodes the stored JSON three times per write and tops out near 8,000/s
beside the HTTP server. The fast path keeps one dict per pool rollout, edits the two fields and
commits it under the store's write lock, so the only per-event cost is encoding the object the
watch streams send (the same bytes ``mutate`` would store). It uses the store's commit hook
(``_writing``/``_entry``/``_commit``); if those change, it falls back to ``mutate`` and says so
in its reply (``method``), and the reply's ``achieved_rate`` always tells what was emitted.
"""

from __future__ import annotations

import re
import time
from typing import Any

import fleetgen

SEQ_FORMAT = "seq#{}"
SEQ_RE = re.compile(r"seq#(\d+)")
TIMELINE_EVERY = 20  # one (time, seq) point per this many events: the lag is judged against it


class Flood:
    def __init__(self, store: Any) -> None:
        self.store = store
        self.seq = 0  # last sequence number emitted
        self._objects: dict[tuple[str, str], dict[str, Any]] = {}
        self.fast = all(hasattr(store, a) for a in ("_writing", "_entry", "_commit"))

    def _write_fast(self, key: tuple[str, str], seq: int, now: float) -> None:
        obj = self._objects.get(key)
        if obj is None:
            obj = self._objects[key] = self.store.get("rollouts", *key)
        status = obj.setdefault("status", {})
        status["message"] = SEQ_FORMAT.format(seq)
        status[fleetgen.BENCH_TS] = now
        store = self.store
        rt = store.resource("rollouts")
        with store._writing():
            prev = store._entry(rt, *key)
            obj["metadata"]["resourceVersion"] = prev.resource_version
            store._commit(rt, "MODIFIED", obj, prev)

    def _write_slow(self, key: tuple[str, str], seq: int, now: float) -> None:
        def change(obj: dict[str, Any]) -> None:
            status = obj.setdefault("status", {})
            status["message"] = SEQ_FORMAT.format(seq)
            status[fleetgen.BENCH_TS] = now

        self.store.mutate("rollouts", key[0], key[1], change, subresource="status")

    def run(self, keys: list[tuple[str, str]], rate: float, seconds: float) -> dict[str, Any]:
        """Emit ``rate`` changes/s over ``keys`` for ``seconds``. Event ``seq`` changes
        ``keys[seq % len(keys)]``; the reply's timeline is [(server time, seq)]."""
        if not keys:
            return {"error": "no rollouts to change"}
        self._objects = {k: v for k, v in self._objects.items() if k in set(keys)}
        write = self._write_fast if self.fast else self._write_slow
        pool = len(keys)
        first = self.seq + 1
        timeline: list[tuple[float, int]] = []
        start = time.time()
        end = start + seconds
        emitted = 0
        while (now := time.time()) < end:
            due = int(rate * (now - start)) - emitted
            for _ in range(min(due, 4000)):  # bounded per tick: the deadline is checked often
                self.seq += 1
                write(keys[self.seq % pool], self.seq, time.time())
                emitted += 1
                if emitted % TIMELINE_EVERY == 0:
                    timeline.append((time.time(), self.seq))
            timeline.append((time.time(), self.seq))
            time.sleep(0.002)
        took = time.time() - start
        return {
            "emitted": emitted,
            "first_seq": first,
            "last_seq": self.seq,
            "pool": pool,
            "seconds": took,
            "achieved_rate": emitted / took if took else 0.0,
            "method": "commit" if self.fast else "mutate",
            "timeline": timeline,
        }
