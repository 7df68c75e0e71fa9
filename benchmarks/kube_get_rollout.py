"""`rollout-tui get rollout NAME` in a namespace crowded with unrelated objects, against kubectl.

Seeds a simulator (real HTTPS API server) with one canary rollout driven to Healthy by the
simulated controller (5 pods) and N unrelated objects in the same namespace (half ReplicaSets,
half pods), then times, in the same run and against the same server:
  rollout-tui-get      `rollout-tui get rollout NAME` as a fresh process (what an operator runs)
  rollout-tui-fetch    the fetch alone, in-process (kube.live.rollout_objects)
  python-client-import `python -c "import kubernetes.config"`: the floor of any Python CLI on
                       the kubernetes client (interpreter start + client import)
  kubectl-selector     `kubectl get rs,pods -l app=NAME` (warm discovery cache): the scoped baseline
  kubectl-namespace    `kubectl get rs,pods -o json`: what listing everything costs (what the
                       plugin's informers do)
Prints one JSON document. Usage: python benchmarks/kube_get_rollout.py [--objects 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EXAMPLE = REPO.parent / "shared" / "fixtures" / "argo-rollouts" / "examples" / "rollout-canary.yaml"
NAME = "rollout-canary"
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"


def env() -> dict[str, str]:
    return dict(os.environ, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")


def seed(sim, count: int) -> None:
    from rollout_tui.model.status import rollout_status
    from rollout_tui.sim.controller import Controller

    doc = yaml.safe_load(EXAMPLE.read_text())
    doc["metadata"]["namespace"] = "default"
    sim.store.create("rollouts", doc)
    controller = Controller(sim.store, sim.clock)
    assert controller.run_until(
        lambda: rollout_status(sim.store.get("rollouts", "default", NAME))[0] == "Healthy", 300
    )
    for i in range(count // 2):
        labels = {"app": f"noise-{i}", "rollouts-pod-template-hash": f"h{i}"}
        rs = sim.store.create(
            "replicasets",
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "metadata": {"name": f"noise-{i}", "namespace": "default", "labels": labels},
                "spec": {
                    "replicas": 1,
                    "selector": {"matchLabels": labels},
                    "template": {
                        "metadata": {"labels": labels},
                        "spec": {"containers": [{"name": "c", "image": f"noise:{i}"}]},
                    },
                },
            },
        )
        sim.store.create(
            "pods",
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {
                    "name": f"noise-{i}-x",
                    "namespace": "default",
                    "labels": labels,
                    "ownerReferences": [
                        {
                            "apiVersion": "apps/v1",
                            "kind": "ReplicaSet",
                            "name": f"noise-{i}",
                            "uid": rs["metadata"]["uid"],
                            "controller": True,
                        }
                    ],
                },
                "spec": {"containers": [{"name": "c", "image": f"noise:{i}"}]},
                "status": {"phase": "Running"},
            },
        )


def timed(argv: list[str], runs: int) -> dict:
    samples = []
    out = ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, text=True, env=env(), timeout=300, check=False)
        samples.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.strip()}")
        out = proc.stdout
    return {
        "median_s": round(statistics.median(samples), 3),
        "min_s": round(min(samples), 3),
        "runs": runs,
        "output_lines": out.count("\n"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()

    from rollout_tui.kube import live
    from rollout_tui.kube.config import load_contexts
    from rollout_tui.sim import Simulator
    from rollout_tui.sim.clock import SimClock

    with (
        tempfile.TemporaryDirectory() as tmp,
        Simulator(controller=False, clock=SimClock.manual(None)) as sim,
    ):
        seed_start = time.perf_counter()
        seed(sim, opts.objects)
        seed_s = time.perf_counter() - seed_start
        kubeconfig = str(sim.write_kubeconfig(Path(tmp) / "kubeconfig"))
        results: dict = {
            "benchmark": "get rollout in a crowded namespace",
            "unrelated_objects": opts.objects,
            "seed_s": round(seed_s, 2),
            "server": "rollout-tui simulator over HTTPS",
            "results": {},
        }

        context = load_contexts(kubeconfig)[0]
        fetch = []
        for _ in range(opts.runs):
            start = time.perf_counter()
            objects = live.rollout_objects(context, "default", NAME)
            fetch.append(time.perf_counter() - start)
        results["results"]["rollout-tui-fetch"] = {
            "median_s": round(statistics.median(fetch), 3),
            "min_s": round(min(fetch), 3),
            "runs": opts.runs,
            "objects_fetched": len(objects),
        }
        results["results"]["rollout-tui-get"] = timed(
            [
                sys.executable,
                "-m",
                "rollout_tui",
                "get",
                "rollout",
                NAME,
                "--kubeconfig",
                kubeconfig,
                "--no-color",
            ],
            opts.runs,
        )
        results["results"]["python-client-import"] = timed(
            [sys.executable, "-c", "import kubernetes.config, kubernetes.client"], opts.runs
        )
        if os.path.exists(KUBECTL):
            cache = ["--cache-dir", str(Path(tmp) / "kcache"), "--kubeconfig", kubeconfig, "-n", "default"]
            subprocess.run(
                [KUBECTL, "get", "rs", "-l", f"app={NAME}", *cache],
                capture_output=True,
                env=env(),
                timeout=120,
                check=False,
            )  # warm the discovery cache
            results["results"]["kubectl-selector"] = timed(
                [KUBECTL, "get", "rs,pods", "-l", f"app={NAME}", *cache], opts.runs
            )
            results["results"]["kubectl-namespace"] = timed(
                [KUBECTL, "get", "rs,pods", "-o", "json", *cache], max(1, opts.runs // 2)
            )
            version = subprocess.run(
                [KUBECTL, "version", "--client"], capture_output=True, text=True, timeout=30, check=False
            ).stdout.splitlines()
            results["kubectl"] = version[0].replace("Client Version: ", "") if version else "?"
        else:
            results["kubectl"] = "not installed"
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
