"""Hostile cluster data reaches the screen as literal text: no markup, no escape byte from the data.

The real CLI runs in a pseudo-terminal against a simulator seeded with objects whose names,
messages, labels, annotations, images and events carry Rich markup, CSI and OSC sequences, C1
controls, bidi overrides, 10,000-character and wide strings. Every byte written to the terminal
is captured and searched.
"""

from __future__ import annotations

import json
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


def test_no_escape_from_cluster_data_reaches_the_terminal(tmp_path: Path) -> None:
    objects = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "aa-hostile"}},
        rollout("aa-first", "aa-hostile"),
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
            app.send(b"\x1b[B")
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
