"""Hostile cluster data reaches the screen as literal text: no markup, no escape byte from the data.

The real CLI runs in a pseudo-terminal against a simulator seeded with objects whose names,
messages, labels, annotations, images and events carry Rich markup, CSI and OSC sequences, C1
controls, bidi overrides, 10,000-character and wide strings, and opens the revision diff, the
YAML and the logs (whose lines name the hostile app label) on them. Every byte written to the
terminal is captured and searched.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ptyrun import PtyApp

from rollout_tui.sim import Simulator

CSI = "\x1b[31;1;4mCSI-EVIL"
CLEAR = "\x1b[2JCLEARED"
OSC_TITLE = "\x1b]0;pwned\x07"
C1 = "\x9b31mC1-EVIL"
BIDI = "\u202eRTL-override"
MARKUP = "[bold red]MARKUP[/]"
WIDE = "名前ｗｉｄｅ שלום"
LONG = "L" * 10_000
HOSTILE = f"{MARKUP} {CSI} {CLEAR} {OSC_TITLE} {C1} {BIDI} {WIDE} {LONG}"
TAG = HOSTILE.replace("/", "")  # an image tag has no slash


def rollout(name: str, namespace: str) -> dict:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": f"uid-{len(name)}-{namespace}",
            "creationTimestamp": "2026-01-01T00:00:00Z",
            "generation": 1,
            "labels": {"app": HOSTILE, MARKUP: "x"},
            "annotations": {"note": HOSTILE},
        },
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "h"}},
            "template": {
                "metadata": {"labels": {"app": "h"}},
                "spec": {"containers": [{"name": MARKUP, "image": f"registry/{HOSTILE}"}]},
            },
            "strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {}}]}},
        },
        "status": {
            "phase": "Degraded",
            "message": HOSTILE,
            "observedGeneration": "1",
            "currentStepIndex": 1,
            "replicas": 1,
            "readyReplicas": 1,
            "availableReplicas": 1,
            "updatedReplicas": 1,
            "currentPodHash": "abc",
            "stableRS": "def",
            "conditions": [{"type": "Progressing", "status": "False", "reason": MARKUP, "message": HOSTILE}],
        },
    }


def event(name: str, namespace: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": f"{name[:40]}.1",
            "namespace": namespace,
            "creationTimestamp": "2026-01-01T00:00:00Z",
        },
        "involvedObject": {"kind": "Rollout", "name": name, "namespace": namespace},
        "reason": MARKUP,
        "message": HOSTILE,
        "type": "Warning",
        "count": 3,
        "lastTimestamp": "2026-01-01T00:00:00Z",
    }


def revision(rollout_obj: dict, hash_: str, number: str, image: str, env: str) -> dict:
    """A ReplicaSet of the hostile rollout: its pod template is what the diff compares."""
    labels = {"app": "h", "rollouts-pod-template-hash": hash_}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"aa-first-{hash_}",
            "namespace": "aa-hostile",
            "uid": f"rs-{hash_}",
            "creationTimestamp": "2026-01-01T00:00:00Z",
            "labels": labels,
            "annotations": {"rollout.argoproj.io/revision": number},
            "ownerReferences": [
                {
                    "apiVersion": "argoproj.io/v1alpha1",
                    "kind": "Rollout",
                    "controller": True,
                    "name": rollout_obj["metadata"]["name"],
                    "uid": rollout_obj["metadata"]["uid"],
                }
            ],
        },
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [{"name": MARKUP, "image": image, "env": [{"name": MARKUP, "value": env}]}]
                },
            },
        },
        "status": {"replicas": 1, "availableReplicas": 1, "readyReplicas": 1},
    }


def running_pod(owner: dict, started: str) -> dict:
    """A pod whose logs name its image's tag ("starting h version=<tag>"): the hostile string."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "aa-first-abc-x1",
            "namespace": "aa-hostile",
            "uid": "pod-x1",
            "creationTimestamp": started,
            "labels": {"app": "h", "rollouts-pod-template-hash": "abc", "team": HOSTILE},
            "annotations": {"note": HOSTILE},
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "ReplicaSet",
                    "controller": True,
                    "name": owner["metadata"]["name"],
                    "uid": owner["metadata"]["uid"],
                }
            ],
        },
        "spec": {"nodeName": "n1", "containers": [{"name": "app", "image": f"registry/x:{TAG}"}]},
        "status": {
            "phase": "Running",
            "startTime": started,
            "containerStatuses": [
                {
                    "name": "app",
                    "ready": True,
                    "restartCount": 3,
                    "image": f"registry/{HOSTILE}",
                    "containerID": "containerd://x1",
                    "state": {"running": {"startedAt": started}},
                    "lastState": {
                        "terminated": {
                            "reason": MARKUP,
                            "exitCode": 2,
                            "message": HOSTILE,
                            "startedAt": started,
                            "finishedAt": started,
                        }
                    },
                }
            ],
        },
    }


def test_no_escape_from_cluster_data_reaches_the_terminal(tmp_path: Path) -> None:
    first = rollout("aa-first", "aa-hostile")
    canary = revision(first, "abc", "2", f"registry/{HOSTILE}", HOSTILE)
    started = (datetime.now(UTC) - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    objects = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "aa-hostile"}},
        first,
        canary,
        revision(first, "def", "1", "registry/stable:1", "plain"),
        running_pod(canary, started),
        event("aa-first", "aa-hostile"),
        rollout("zz-" + "n" * 240 + "-end", "aa-hostile"),
    ]
    seed = tmp_path / "hostile.json"
    seed.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}), encoding="utf-8")
    with Simulator(load=[seed], controller=False) as sim:
        kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim")
        app = PtyApp(["--kubeconfig", str(kubeconfig), "--context", "sim"], cols=160, rows=48)
        try:
            assert app.wait_for(b"aa-first", 30), app.output[-2000:]
            app.read_for(2.0)  # the detail pane (beside the table at 160 columns) fills in
            app.send(b"\t")  # focus the detail
            app.read_for(1.0)
            app.send(b"\x1b[B")  # the tree's first line: revision 2
            app.read_for(1.0)
            for key, screen in ((b"d", b"Revision diff"), (b"Y", b"YAML"), (b"l", b"Logs")):
                if key == b"l":
                    app.send(b"\x1b[B\x1b[B")  # its ReplicaSet, then its pod
                    app.read_for(0.5)
                app.send(key)
                assert app.wait_for(screen, 10), (key, app.output[-2000:])
                app.read_for(2.0)  # the view fills in (the logs stream in)
                app.send(b"/")  # a search over the hostile text
                app.read_for(0.5)
                app.send(b"pwned\r")
                app.read_for(0.5)
                app.send(b"\x1b")
                app.read_for(1.0)
        finally:
            app.close()
    out = bytes(app.output)
    text = out.decode("utf-8", errors="replace")
    assert "MARKUP" in text and "[bold red]MARKUP[/]" in text  # shown literally, not interpreted
    for needle in (b"\x1b[31;1;4mCSI", b"\x1b[2JCLEARED", b"\x1b]0;pwned", b"pwned\x07", b"\x1b]0;"):
        assert needle not in out, needle
    assert "\x9b" not in text and "\u202e" not in text  # C1 CSI and bidi override: removed
    assert "CSI-EVIL" in text and "pwned" in text  # the printable rest is still there, as text
    assert "L" * 300 not in text  # 10,000 characters are cut, not drawn over the screen
    for shown in ("Revision diff", "YAML", "Logs", "starting "):  # the views were on screen
        assert shown in text, shown
