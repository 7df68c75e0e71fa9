"""kubeconfig loading, several files and contexts, exec credential plugins kept off the terminal."""

from __future__ import annotations

import json
import stat
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.kube.config import KubeConfigError, load_contexts, prepare
from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.state import Phase

from .conftest import FAST, rollout, wait_for


def config(
    name: str,
    server: str,
    token: str = "t",
    namespace: str | None = None,
    current: bool = True,
    user: dict | None = None,
) -> dict:
    ctx: dict = {"cluster": name, "user": f"{name}-user"}
    if namespace:
        ctx["namespace"] = namespace
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": server}}],
        "users": [{"name": f"{name}-user", "user": user or {"token": token}}],
        "contexts": [{"name": name, "context": ctx}],
    }
    if current:
        doc["current-context"] = name
    return doc


def write(path: Path, doc: dict) -> str:
    path.write_text(yaml.safe_dump(doc))
    return str(path)


def test_kubeconfig_list_merges_first_wins_and_contexts_repeat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = write(tmp_path / "a", config("a", "http://127.0.0.1:1", namespace="team-a"))
    b = write(tmp_path / "b", config("b", "http://127.0.0.1:2", current=False))
    monkeypatch.setenv("KUBECONFIG", f"{a}:{tmp_path / 'missing'}:{b}")
    [current] = load_contexts()
    assert (current.name, current.namespace, current.server, current.user) == (
        "a",
        "team-a",
        "http://127.0.0.1:1",
        "a-user",
    )
    both = load_contexts(contexts=["b", "a", "b"])
    assert [c.name for c in both] == ["b", "a"]
    assert both[0].namespace == "default" and both[0].api_client is not both[1].api_client
    assert [c.name for c in load_contexts(all_contexts=True)] == ["a", "b"]
    explicit = load_contexts(kubeconfig=b, contexts=["b"])
    assert explicit[0].server == "http://127.0.0.1:2"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a: [", "is not valid YAML"),
        ("- just\n- a list\n", "is not a kubeconfig"),
        (yaml.safe_dump(config("x", "http://h", current=False)), "has no current-context; pass --context"),
    ],
)
def test_bad_kubeconfig_is_one_clear_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "kc"
    path.write_text(content)
    with pytest.raises(KubeConfigError) as info:
        load_contexts(str(path))
    assert expected in str(info.value) and "\n" not in str(info.value)


def test_unknown_context_and_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path / "kc", config("a", "http://h"))
    with pytest.raises(KubeConfigError, match=r"context 'nope' not found in kubeconfig \(available: a\)"):
        load_contexts(path, ["nope"])
    with pytest.raises(KubeConfigError, match="kubeconfig not found"):
        load_contexts(str(tmp_path / "absent"))


def test_broken_user_entry_is_one_line(tmp_path: Path) -> None:
    doc = config("a", "https://127.0.0.1:1")
    doc["clusters"][0]["cluster"]["certificate-authority"] = str(tmp_path / "no-such-ca.pem")
    with pytest.raises(KubeConfigError) as info:
        load_contexts(write(tmp_path / "kc", doc))
    assert str(info.value).startswith("kubeconfig context 'a': ") and "\n" not in str(info.value)


def test_in_cluster_config_when_no_kubeconfig(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rollout_tui.kube.config as cfg

    sa = tmp_path / "sa"
    sa.mkdir()
    (sa / "token").write_text("in-cluster-token")
    (sa / "namespace").write_text("apps")
    (sa / "ca.crt").write_text("placeholder CA: never used, no request is made")
    monkeypatch.setattr(cfg, "_SA_DIR", sa)
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", "443")
    from kubernetes.config import incluster_config

    monkeypatch.setattr(incluster_config, "SERVICE_TOKEN_FILENAME", str(sa / "token"))
    monkeypatch.setattr(incluster_config, "SERVICE_CERT_FILENAME", str(sa / "ca.crt"))
    [context] = load_contexts()
    assert (context.name, context.namespace, context.server) == ("in-cluster", "apps", "https://10.0.0.1:443")
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST")
    with pytest.raises(KubeConfigError, match="no kubeconfig"):
        load_contexts()


PLUGIN = """\
import json, os, sys
state = os.environ["PLUGIN_STATE"]
info = json.loads(os.environ.get("KUBERNETES_EXEC_INFO", "{}"))
stdin_is_tty = sys.stdin is not None and sys.stdin.isatty()
data = sys.stdin.read() if sys.stdin is not None and not stdin_is_tty else ""
with open(state + ".log", "a") as log:
    log.write(json.dumps({"interactive": info.get("spec", {}).get("interactive"), "stdin": data}) + "\\n")
sys.stderr.write("PLEASE LOG IN: \\x1b[2J\\n")  # what would scribble over a full-screen UI
token = open(state).read().strip()
expiry = os.environ.get("PLUGIN_EXPIRY", "2099-01-01T00:00:00Z")
print(json.dumps({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                  "status": {"token": token, "expirationTimestamp": expiry}}))
"""


def exec_plugin(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token: str, **extra: str
) -> tuple[Path, dict]:
    """The test plugin (``PLUGIN``) handing out ``token`` from its state file, which the simulator
    accepts: (the state file, the kubeconfig user running it)."""
    plugin = tmp_path / "plugin.py"
    plugin.write_text(PLUGIN)
    plugin.chmod(plugin.stat().st_mode | stat.S_IEXEC)
    state = tmp_path / "token"
    state.write_text(token)
    sim.add_user("exec-user", token)
    monkeypatch.setenv("PLUGIN_STATE", str(state))
    command = {
        "apiVersion": "client.authentication.k8s.io/v1",
        "command": sys.executable,
        "args": [str(plugin)],
    }
    return state, {"exec": {**command, **extra}}


def test_exec_plugin_first_credentials_then_quiet_refresh_after_401(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture
) -> None:
    sim.store.create("rollouts", rollout("demo"))
    state, user = exec_plugin(sim, tmp_path, monkeypatch, "token-one", interactiveMode="IfAvailable")
    path = write(tmp_path / "kc", config("exec", sim.url, user=user))
    [context] = prepare(path)  # the UI calls this before taking the screen
    assert context.refresher is not None
    assert context.refresher.expiry == datetime(2099, 1, 1, tzinfo=UTC)  # known from the first run
    assert context.api_client.configuration.api_key["BearerToken"] == "Bearer token-one"
    fleet = Fleet([context], params=FAST, warnings=False).start()  # one watch meets the 401
    try:
        assert fleet.wait_synced(10)
        capfd.readouterr()
        # the token is rotated: the old one now gets 401 and the reflector must fetch a new one
        state.write_text("token-two")
        sim.add_user("exec-user", "token-two")
        with sim.users._lock:  # the simulator has no revoke call; drop the old token directly
            sim.users._by_token.pop("token-one")
        sim.faults.drop_watches()
        sim.store.create("rollouts", rollout("after-rotation"))
        wait_for(lambda: len(fleet.rollouts()["exec"]) == 2, message="recovery after 401")
        assert context.api_client.configuration.api_key["BearerToken"] == "Bearer token-two"
        assert fleet.states()["exec"].phase is Phase.LIVE
    finally:
        fleet.stop()
    out, err = capfd.readouterr()
    assert "PLEASE LOG IN" not in out + err  # the refresh never reached the terminal
    runs = [json.loads(line) for line in (tmp_path / "token.log").read_text().splitlines()]
    assert runs[-1] == {"interactive": False, "stdin": ""}  # quiet run: not interactive, stdin empty


def test_exec_token_about_to_expire_is_refreshed_quietly_before_the_request(
    sim: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture
) -> None:
    from rollout_tui.kube import live

    sim.store.create("rollouts", rollout("demo"))
    _state, user = exec_plugin(sim, tmp_path, monkeypatch, "short-lived")
    soon = (datetime.now(UTC) + timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    monkeypatch.setenv("PLUGIN_EXPIRY", soon)  # inside the 30 s safety margin: refresh before use
    [context] = prepare(write(tmp_path / "kc", config("exec", sim.url, user=user)))
    assert context.refresher is not None and context.refresher.expired()
    capfd.readouterr()
    assert [r["metadata"]["name"] for r in live.list_rollouts(context, "default")] == ["demo"]
    runs = [json.loads(line) for line in (tmp_path / "token.log").read_text().splitlines()]
    assert len(runs) == 2 and runs[1] == {"interactive": False, "stdin": ""}
    out, err = capfd.readouterr()
    assert "PLEASE LOG IN" not in out + err
