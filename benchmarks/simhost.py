"""A simulator in its own process, driven over stdin/stdout with one JSON object per line.

Run by ``simproc.SimProcess``; never by hand. The benchmark keeps the simulated cluster out of the
measured UI process so the UI's CPU, memory and latency figures are its own.

Start-up prints ``{"kubeconfig": ..., "url": ..., "seeded": N, "seed_seconds": S}``. Then each
request line ``{"op": ...}`` gets exactly one reply line. Operations:

    flood   rate, seconds, [pool]   status changes (MODIFIED events) at ``rate``/s on ``pool``
                                    rollouts, each ``status.message = "seq#N"`` (simflood.py).
                                    Reply: emitted, achieved rate, pool, timeline [(t, seq)].
    rows                            every rollout's (namespace, name, seq# in its message or
                                    null) and the count: what a converged screen must show
    churn   rate, [adds]            background status changes (+ creates/deletes when ``adds``),
                                    rate 0 stops it
    digest                          {count, hash} of every Rollout's namespace/name=resourceVersion
    writes                          write requests (non-GET, /sim/faults excluded) since start
    fault   name, [seconds, code, count]  drop | stall | unstall | expire | down | errors | latency | reset
    get     namespace, name         the Rollout's status (phase, step, paused)
    world_moves                     one rollout added, one changed, one deleted
    list    [limit]                 the first rollouts' (namespace, name)
    create  plural, object          create an object
    set_image namespace, name, image  a new pod template: the controller starts a rollout
    stop                            stop the simulator and exit
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import fleetgen
import simflood

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def count_writes(counter: Counter[str]) -> None:
    """Count every write request the API server receives (fault controls excluded)."""
    from rollout_tui.sim.handler import Handler

    for method in WRITE_METHODS:
        original = getattr(Handler, f"do_{method}")

        def counted(self: Any, _original: Any = original, _method: str = method) -> None:
            if not self.path.startswith("/sim/faults"):
                counter[f"{_method} {self.path.split('?')[0]}"] += 1
            _original(self)

        setattr(Handler, f"do_{method}", counted)


class Host:
    def __init__(self, args: argparse.Namespace) -> None:
        from rollout_tui.sim import Simulator

        self.writes: Counter[str] = Counter()
        count_writes(self.writes)
        scenario = args.scenario if args.scenario and _has_scenario(args.scenario) else None
        self.scenario = scenario or ""
        self.sim = Simulator(port=0, scenario=scenario, controller=args.controller, speed=args.speed)
        if args.bookmark_interval:
            self.sim.bookmark_interval = args.bookmark_interval
        self.lock = threading.Lock()
        self.churn_stop = threading.Event()
        self.churn_thread: threading.Thread | None = None
        self.churn_stats = Counter[str]()
        started = time.perf_counter()
        objects: list[dict[str, Any]] = list(
            fleetgen.fleet(args.rollouts, args.namespaces, args.paused_every)
        )
        for spec in args.family or ():
            ns, name = spec.split("/", 1)
            objects += fleetgen.rollout_family(ns, name)
        for spec in args.unrelated or ():
            ns, count = spec.split(":", 1)
            objects += fleetgen.unrelated(ns, int(count))
        if args.motion and not scenario:  # stands in for the demo scenario when it is missing
            objects += fleetgen.motion_fleet(args.motion)
        self.seeded = self.sim.store.load(objects) if objects else 0
        self.sim.start()
        self.seed_seconds = time.perf_counter() - started
        self.tmp = tempfile.mkdtemp(prefix="rollout-tui-bench-")
        self.kubeconfig = str(
            self.sim.write_kubeconfig(Path(self.tmp) / "kubeconfig", context=args.context or "bench")
        )
        self.flooder = simflood.Flood(self.sim.store)
        self.serials = itertools.count(
            1
        )  # short unique names for created rollouts (they fit the NAME column)
        self.motion_stop = threading.Event()
        if args.motion and not self.scenario:
            threading.Thread(target=self._drive_motion, args=(args.motion,), daemon=True).start()

    # -- operations ------------------------------------------------------------------------------------
    def rollout_keys(self) -> list[tuple[str, str]]:
        items, _ = self.sim.store.list("rollouts")
        return [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in items]

    def flood(self, rate: float, seconds: float, pool: int = 1000) -> dict[str, Any]:
        return self.flooder.run(self.rollout_keys()[: max(1, pool)], rate, seconds)

    def churn(self, rate: float, adds: bool) -> dict[str, Any]:
        self.churn_stop.set()
        if self.churn_thread is not None:
            self.churn_thread.join(5)
        self.churn_stop = threading.Event()
        if rate <= 0:
            return {"churn": 0, **self.churn_stats}
        self.churn_thread = threading.Thread(
            target=self._churn, args=(rate, adds, self.churn_stop), daemon=True
        )
        self.churn_thread.start()
        return {"churn": rate}

    def _churn(self, rate: float, adds: bool, stop: threading.Event) -> None:
        rng = random.Random(time.time_ns())
        store = self.sim.store
        while not stop.wait(1.0 / rate):
            keys = self.rollout_keys()
            mine = [k for k in keys if k[0] == "churn"]  # only churn's own rollouts are deleted
            roll = rng.random()
            try:
                if adds and (roll < 0.1 or not keys):
                    serial = next(self.serials)
                    store.create("rollouts", fleetgen.rollout("churn", f"new-{serial}", serial % 1000))
                    self.churn_stats["created"] += 1
                elif adds and roll < 0.2 and mine:
                    store.delete("rollouts", *rng.choice(mine))
                    self.churn_stats["deleted"] += 1
                else:
                    ns, name = rng.choice(keys)
                    store.mutate(
                        "rollouts",
                        ns,
                        name,
                        lambda o: o.setdefault("status", {}).update(readyReplicas=rng.randint(0, 3)),
                        subresource="status",
                    )
                    self.churn_stats["changed"] += 1
            except Exception as exc:  # a racing delete: count it, keep churning
                self.churn_stats[f"skipped {type(exc).__name__}"] += 1

    def world_moves(self) -> dict[str, Any]:
        """One rollout added, one changed, one deleted (in-process: works while the API is down).
        Only rollouts of the "churn" namespace are ever deleted, so the fleet never drains away."""
        store = self.sim.store
        serial = next(self.serials)
        victim = next((k for k in self.rollout_keys() if k[0] == "churn"), None)
        if victim is None:
            store.create("rollouts", fleetgen.rollout("churn", f"spare-{serial}", 2))
            victim = ("churn", f"spare-{serial}")
        store.create("rollouts", fleetgen.rollout("churn", f"offline-{serial}", 1))
        ns, name = next(k for k in self.rollout_keys() if k != victim)
        store.mutate(
            "rollouts",
            ns,
            name,
            lambda o: o.setdefault("status", {}).update(message=f"changed {serial}"),
            subresource="status",
        )
        store.delete("rollouts", *victim)
        return {"added": f"churn/offline-{serial}", "changed": f"{ns}/{name}", "deleted": "/".join(victim)}

    def digest(self) -> dict[str, Any]:
        items, rv = self.sim.store.list("rollouts")
        lines = sorted(
            f"{o['metadata']['namespace']}/{o['metadata']['name']}={o['metadata']['resourceVersion']}"
            for o in items
        )
        return {"count": len(lines), "hash": hashlib.sha1("\n".join(lines).encode()).hexdigest(), "rv": rv}

    def rows(self) -> dict[str, Any]:
        items, _ = self.sim.store.list("rollouts")
        rows = []
        for o in items:
            found = simflood.SEQ_RE.search(str((o.get("status") or {}).get("message") or ""))
            rows.append(
                (o["metadata"]["namespace"], o["metadata"]["name"], int(found.group(1)) if found else None)
            )
        return {"count": len(rows), "rows": rows, "time": time.time()}

    def fault(self, name: str, seconds: float = 0.0, code: int = 503, count: int = 0) -> dict[str, Any]:
        faults = self.sim.faults
        if name == "drop":
            return {"dropped": faults.drop_watches()}
        if name == "stall":
            faults.stall(seconds or None)
        elif name == "unstall":
            faults.unstall()
        elif name == "expire":
            faults.expire()
        elif name == "down":
            faults.restart(seconds)
        elif name == "errors":
            faults.fail_next(count, code)
        elif name == "latency":
            faults.set_latency(seconds)
        elif name == "reset":
            faults.reset()
        else:
            return {"error": f"unknown fault {name}"}
        return {"fault": name}

    def get(self, namespace: str, name: str) -> dict[str, Any]:
        obj = self.sim.store.get("rollouts", namespace, name)
        status = obj.get("status") or {}
        return {
            "phase": status.get("phase"),
            "step": status.get("currentStepIndex"),
            "paused": bool(obj.get("spec", {}).get("paused")),
            "rv": obj["metadata"]["resourceVersion"],
            "pauseConditions": bool(status.get("pauseConditions")),
            "time": time.time(),
        }

    def _drive_motion(self, count: int) -> None:
        """Without the demo scenario: roll a new image out on one rollout every few seconds."""
        serial = 0
        while not self.motion_stop.wait(4.0):
            serial += 1
            ns, name = "motion", f"web-{serial % count:02d}"
            try:
                self.sim.store.mutate(
                    "rollouts",
                    ns,
                    name,
                    lambda o, s=serial: o["spec"]["template"]["spec"]["containers"][0].update(
                        image=f"registry.example.com/web:{s}"
                    ),
                )
            except Exception:
                continue

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "flood":
            return self.flood(
                float(request["rate"]), float(request["seconds"]), int(request.get("pool", 1000))
            )
        if op == "churn":
            return self.churn(float(request.get("rate", 0)), bool(request.get("adds", False)))
        if op == "digest":
            return self.digest()
        if op == "rows":
            return self.rows()
        if op == "writes":
            return {"writes": dict(self.writes), "total": sum(self.writes.values())}
        if op == "fault":
            return self.fault(
                str(request["name"]),
                float(request.get("seconds", 0)),
                int(request.get("code", 503)),
                int(request.get("count", 0)),
            )
        if op == "get":
            return self.get(str(request["namespace"]), str(request["name"]))
        if op == "world_moves":
            return self.world_moves()
        if op == "list":
            return {"rollouts": [list(k) for k in self.rollout_keys()[: int(request.get("limit", 50))]]}
        if op == "create":
            obj = request["object"]
            created = self.sim.store.create(self.sim.store.resource(str(request["plural"])).plural, obj)
            return {"name": created["metadata"]["name"]}
        if op == "set_image":
            self.sim.store.mutate(
                "rollouts",
                str(request["namespace"]),
                str(request["name"]),
                lambda o: o["spec"]["template"]["spec"]["containers"][0].update(image=str(request["image"])),
            )
            return {"ok": True}
        return {"error": f"unknown op {op!r}"}

    def stop(self) -> None:
        self.motion_stop.set()
        self.churn_stop.set()
        self.sim.stop()


def _has_scenario(name: str) -> bool:
    try:
        from rollout_tui.sim.scenarios import available
    except ImportError:
        return False
    return name.split(":")[0] in available()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rollouts", type=int, default=0)
    parser.add_argument("--namespaces", type=int, default=1)
    parser.add_argument("--paused-every", type=int, default=0, help="every Kth rollout paused at step 1")
    parser.add_argument("--family", action="append", help="NS/NAME: a rollout with ReplicaSets and pods")
    parser.add_argument("--unrelated", action="append", help="NS:COUNT unrelated ReplicaSets and pods")
    parser.add_argument("--motion", type=int, default=0, help="N rollouts kept in motion (no demo scenario)")
    parser.add_argument("--scenario", default="")
    parser.add_argument("--controller", action="store_true")
    parser.add_argument("--context", default="", help="context (and cluster) name in the kubeconfig")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second")
    parser.add_argument(
        "--bookmark-interval", type=float, default=0.0, help="watch bookmarks every S seconds"
    )
    return parser.parse_args(argv)


def main() -> int:
    host = Host(parse_args())
    out = sys.stdout
    out.write(
        json.dumps(
            {
                "kubeconfig": host.kubeconfig,
                "url": host.sim.url,
                "seeded": host.seeded,
                "seed_seconds": host.seed_seconds,
                "scenario": host.scenario,
            }
        )
        + "\n"
    )
    out.flush()
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            if request.get("op") == "stop":
                break
            try:
                reply = host.handle(request)
            except Exception as exc:
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps(reply) + "\n")
            out.flush()
    finally:
        host.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
