"""`rollout-tui wave` against three simulated clusters in one KUBECONFIG, over HTTP.

The command runs as an operator would run it, on its own thread of control; simulated time moves
under it (a ticker), so a wave with bake times of minutes ends in about a second.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rollout_tui.cli import parse
from rollout_tui.commands import CommandError
from rollout_tui.commands.wave import run_wave
from tests.kube.ringsim import (
    APP,
    CLUSTERS,
    CRASH,
    GREEN,
    NAMESPACE,
    Ticker,
    app_rollout,
    changes,
    request_log,
    three_clusters,
)

RINGS = ",".join(CLUSTERS)


def wave(kubeconfig: Path, *extra: str) -> list[str]:
    return ["wave", APP, "-n", NAMESPACE, "--kubeconfig", str(kubeconfig), "--rings", RINGS, *extra]


def test_dry_run_prints_every_write_and_sends_none(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c, request_log() as log:
        out = io.StringIO()
        code = run_wave(parse(wave(c.kubeconfig, "--image", GREEN, "--dry-run")), c.clock, out=out)
        text = out.getvalue()
        assert code == 0
        assert log.requests, "the simulators saw the plan's reads"
        assert changes(log) == []
    lines = text.splitlines()
    assert lines[0].startswith("Wave w-") and f"for {APP}: {GREEN} (the image given)" in lines[0]
    for ring, cluster in enumerate(CLUSTERS):
        at = lines.index(f"ring {ring} {cluster}  bake 10m")
        assert lines[at + 1] == (
            f"  set image  {cluster}: set the image of container web of {NAMESPACE}/{APP} to {GREEN}"
            " (this starts an update)"
        )
    assert lines[-2:] == [
        "3 writes, each sent once, refused if its rollout changed",
        "dry run: nothing was written",
    ]


def test_a_good_wave_exits_0_with_one_json_line_per_transition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    with three_clusters(tmp_path) as c:
        out = io.StringIO()
        args = parse(wave(c.kubeconfig, "--image", GREEN, "--bake", "30s", "--yes", "-o", "json"))
        with Ticker(c):
            code = run_wave(args, c.clock, poll=0.01, out=out)
        events = [json.loads(line) for line in out.getvalue().splitlines()]
        assert code == 0, events[-3:]
        assert events[0]["event"] == "plan" and events[0]["ok"] is True
        assert [e["ring"] for e in events if e["event"] == "ring-starting"] == [0, 1, 2]
        assert events[-1]["event"] == "done" and {e["wave"] for e in events} == {events[0]["wave"]}
        bakes = [e for e in events if e["event"] == "ring-baking"]
        assert len(bakes) == 3 and all(e["until"].endswith("Z") for e in bakes)
        for cluster in CLUSTERS:
            assert c.stored(cluster)["spec"]["template"]["spec"]["containers"][0]["image"] == GREEN
    # the audit trail: each write, where it went, with the wave's id
    trail = [
        json.loads(line) for line in (tmp_path / "state/rollout-tui/audit.jsonl").read_text().splitlines()
    ]
    assert [(e["context"], e["action"], e["outcome"]) for e in trail] == [
        (cluster, "set_image", "applied") for cluster in CLUSTERS
    ]
    assert {e["wave"] for e in trail} == {events[0]["wave"]}


def test_a_crash_looping_image_exits_1_with_rings_1_and_2_untouched(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c:
        untouched = {k: c.stored(k)["metadata"]["resourceVersion"] for k in CLUSTERS[1:]}
        out = io.StringIO()
        args = parse(wave(c.kubeconfig, "--image", f"web={CRASH}", "--yes", "--abort-on-failure"))
        with Ticker(c):
            code = run_wave(args, c.clock, poll=0.01, out=out)
        lines = out.getvalue().splitlines()
        assert code == 1
        assert "ring 0 east: ring 0 (east) failed: east/web/frontend: new pods" in "\n".join(lines)
        assert lines[-1].endswith("rings west, north untouched")
        assert c.stored("east")["status"]["abort"] is True
        for cluster, version in untouched.items():
            assert c.stored(cluster)["metadata"]["resourceVersion"] == version


def test_without_yes_off_a_terminal_nothing_starts(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c, request_log() as log:
        args = parse(wave(c.kubeconfig, "--image", GREEN))
        with pytest.raises(CommandError, match="pass --yes") as refused:
            run_wave(args, c.clock, out=io.StringIO())
        assert refused.value.exit_code == 2
        with pytest.raises(CommandError, match="not started; nothing was written") as declined:
            run_wave(args, c.clock, out=io.StringIO(), ask=lambda question: False)
        assert declined.value.exit_code == 1
        assert changes(log) == []


def test_a_read_only_cluster_blocks_the_wave_with_its_reason(tmp_path: Path) -> None:
    with three_clusters(tmp_path) as c, request_log() as log:
        c.sims["west"].add_user("viewer", "viewer-token", read_only_namespaces=["*"])
        kubeconfig = tmp_path / "kubeconfig"
        doc = kubeconfig.read_text().replace("token: " + c.sims["west"].token, "token: viewer-token")
        kubeconfig.write_text(doc)
        out = io.StringIO()
        with pytest.raises(CommandError, match="cannot start") as refused:
            run_wave(parse(wave(kubeconfig, "--image", GREEN, "--yes")), c.clock, out=out)
        assert refused.value.exit_code == 2
        assert "REFUSED    west/web/frontend: set image not allowed" in out.getvalue()
        assert changes(log) == []


def test_the_config_files_rings_and_read_only_contexts(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "ring-bake: 20s\nrings:\n  - name: first\n    contexts: [east]\n  - name: rest\n    contexts: [west, north]\n"
        "contexts:\n  north:\n    read-only: true\n"
    )
    with three_clusters(tmp_path) as c, request_log() as log:
        out = io.StringIO()
        argv = ["wave", APP, "-n", NAMESPACE, "--kubeconfig", str(c.kubeconfig), "--config", str(config)]
        with pytest.raises(CommandError, match="cannot start"):
            run_wave(parse([*argv, "--image", GREEN, "--yes"]), c.clock, out=out)
        text = out.getvalue()
        assert "ring 0 first (east)  bake 20s" in text and "ring 1 rest (west+north)  bake 20s" in text
        assert text.count("REFUSED") == 1
        assert "REFUSED    north/web/frontend: north is read-only, a wave cannot write there" in text
        assert changes(log) == []


SHOP = {"app.kubernetes.io/name": "shop"}


def test_each_context_is_a_ring_in_the_order_given_and_the_files_app_label_groups(tmp_path: Path) -> None:
    """--context flags beat the file's rings, not its app-label or ring-bake: the app is every
    rollout labelled shop (here called storefront), never the rollout that is merely named shop."""
    config = tmp_path / "config.yaml"
    config.write_text("app-label: app.kubernetes.io/name\nring-bake: 45s\nrings:\n  - contexts: [east]\n")
    apps = (app_rollout("storefront", labels=SHOP), app_rollout("shop"))
    with three_clusters(tmp_path, apps=apps) as c, request_log() as log:
        out = io.StringIO()
        argv = ["wave", "shop", "--kubeconfig", str(c.kubeconfig), "--config", str(config)]
        contexts = ["--context", "north", "--context", "east", "--context", "west"]
        code = run_wave(parse([*argv, *contexts, "--image", GREEN, "--dry-run"]), c.clock, out=out)
        assert code == 0 and changes(log) == []
    lines = out.getvalue().splitlines()
    headings = [line for line in lines if line.startswith("ring ")]
    assert headings == ["ring 0 north  bake 45s", "ring 1 east  bake 45s", "ring 2 west  bake 45s"]
    writes = [line for line in lines if line.startswith("  set image")]
    assert [w.split(":")[0] for w in writes] == [
        "  set image  north",
        "  set image  east",
        "  set image  west",
    ]
    assert all(f"of {NAMESPACE}/storefront to {GREEN}" in w for w in writes)


def test_ctrl_c_stops_a_headless_wave_with_130_and_writes_nothing_more(tmp_path: Path) -> None:
    """The real command in its own process: interrupted while ring 0 bakes, it writes nothing more."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    with three_clusters(tmp_path) as c:
        untouched = {k: c.stored(k)["metadata"]["resourceVersion"] for k in CLUSTERS[1:]}
        env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
        argv = [sys.executable, "-m", "rollout_tui", *wave(c.kubeconfig, "--image", GREEN, "--yes")]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        watchdog = threading.Timer(60, proc.kill)
        watchdog.start()
        try:
            with Ticker(c):
                assert proc.stdout is not None
                lines = []
                for line in proc.stdout:
                    lines.append(line.rstrip("\n"))
                    if "healthy at green: baking 10m" in line:
                        break
                proc.send_signal(signal.SIGINT)
                rest, err = proc.communicate(timeout=30)
        finally:
            watchdog.cancel()
        assert proc.returncode == 130, (lines, rest, err)
        assert "cancelled: interrupted (Ctrl-C); nothing more is written" in rest
        assert "Traceback" not in err
        for cluster, version in untouched.items():
            assert c.stored(cluster)["metadata"]["resourceVersion"] == version
