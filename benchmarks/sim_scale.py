"""Simulator at scale: startup, full-list latency and memory for N rollouts in M namespaces.

    python benchmarks/sim_scale.py [--rollouts 10000] [--namespaces 200] [--runs 3] [--no-controller]

Starts the "scale" scenario in a child process (as `rollout-tui sim` would run it), then measures
from this process: the kubernetes Python client listing every rollout (CustomObjectsApi, dicts),
the same list read raw + json.loads, a paged list (limit=500), a watch from resourceVersion 0
delivering every rollout, and, as the baseline in the same run, `kubectl get rollouts.argoproj.io
-A` on the same server (paged by 500 as kubectl does by default, and in one request). Prints one
JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GROUP, VERSION = "argoproj.io", "v1alpha1"


def serve(args: argparse.Namespace) -> None:
    """Child: start the simulator, report timings on stdout, run until stdin closes."""
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    from rollout_tui.sim import Simulator

    sim = Simulator(scenario=f"scale:{args.rollouts}:{args.namespaces}:0", controller=not args.no_controller)
    sim.start()
    serving = time.perf_counter()
    settled = serving
    if sim.controller is not None:
        sim.controller.wait_idle(600)
        settled = time.perf_counter()
    kubeconfig = sim.write_kubeconfig(Path(args.serve) / "config")
    counts = {p: sim.store.count(p) for p in ("rollouts", "replicasets", "pods", "services", "namespaces")}
    print(
        json.dumps(
            {
                "kubeconfig": str(kubeconfig),
                "seed_seconds": sim.scenario.info.get("seed_seconds"),
                "serving_seconds": round(serving - started, 3),
                "controller_settle_seconds": round(settled - serving, 3),
                "startup_seconds": round(settled - started, 3),
                "objects": counts,
            }
        ),
        flush=True,
    )
    sys.stdin.read()
    sim.stop()


def rss_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_rss_mb": fields.get("VmHWM", 0.0)}


def timed(fn: Any, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(samples), 3), "min_s": round(min(samples), 3), "runs": runs}


def measure(args: argparse.Namespace) -> dict[str, Any]:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    from kubernetes import client, config, watch

    with tempfile.TemporaryDirectory() as tmp:
        child = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--serve",
                tmp,
                "--rollouts",
                str(args.rollouts),
                "--namespaces",
                str(args.namespaces),
            ]
            + (["--no-controller"] if args.no_controller else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None and child.stdin is not None
            line = child.stdout.readline()
            if not line:
                raise SystemExit("the simulator process failed to start")
            info = json.loads(line)
            memory_idle = rss_mb(child.pid)
            api_client = config.new_client_from_config(info["kubeconfig"])
            custom = client.CustomObjectsApi(api_client)

            def full_list() -> None:
                items = custom.list_cluster_custom_object(GROUP, VERSION, "rollouts")["items"]
                assert len(items) == args.rollouts

            def raw_list() -> None:
                resp = custom.list_cluster_custom_object(GROUP, VERSION, "rollouts", _preload_content=False)
                assert len(json.loads(resp.data)["items"]) == args.rollouts

            def paged_list() -> None:
                token, total = None, 0
                while True:
                    page = custom.list_cluster_custom_object(
                        GROUP, VERSION, "rollouts", limit=500, _continue=token
                    )
                    total += len(page["items"])
                    token = page["metadata"].get("continue")
                    if not token:
                        break
                assert total == args.rollouts

            def watch_from_zero() -> None:
                w, seen = watch.Watch(), 0
                for _ in w.stream(
                    custom.list_cluster_custom_object,
                    GROUP,
                    VERSION,
                    "rollouts",
                    resource_version="0",
                    timeout_seconds=120,
                    _request_timeout=(5, 120),
                ):
                    seen += 1
                    if seen == args.rollouts:
                        w.stop()
                assert seen == args.rollouts

            cache = Path(tmp) / "kubectl-cache"

            def kubectl_list(*extra: str) -> None:
                out = subprocess.run(
                    [
                        "kubectl",
                        f"--kubeconfig={info['kubeconfig']}",
                        f"--cache-dir={cache}",
                        "get",
                        "rollouts.argoproj.io",
                        "-A",
                        "--no-headers",
                        *extra,
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=300,
                ).stdout
                assert out.count("\n") == args.rollouts

            results = {
                "python_client_list": timed(full_list, args.runs),
                "python_client_raw_list": timed(raw_list, args.runs),
                "python_client_paged_list_500": timed(paged_list, args.runs),
                "python_client_watch_from_rv0": timed(watch_from_zero, 1),
                "kubectl_get_rollouts_A_cold_cache": timed(kubectl_list, 1),
                "kubectl_get_rollouts_A": timed(kubectl_list, args.runs),
                # kubectl pages by 500 by default; one request shows what the paging costs.
                "kubectl_get_rollouts_A_chunk_size_0": timed(
                    lambda: kubectl_list("--chunk-size=0"), args.runs
                ),
            }
            api_client.close()
            return {
                "rollouts": args.rollouts,
                "namespaces": args.namespaces,
                "controller": not args.no_controller,
                **info,
                "memory_after_startup": memory_idle,
                "memory_after_lists": rss_mb(child.pid),
                "lists": results,
            }
        finally:
            if child.stdin:
                child.stdin.close()
            child.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rollouts", type=int, default=10000)
    parser.add_argument("--namespaces", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-controller", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args)
        return
    print(json.dumps(measure(args), indent=2))


if __name__ == "__main__":
    main()
