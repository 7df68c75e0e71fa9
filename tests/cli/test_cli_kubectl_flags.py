"""kubectl's connection flags on the wire: impersonation headers on every request (lists, watches,
patches, SelfSubjectAccessReviews) and the impersonated user's permissions, credentials and
endpoints from flags over the kubeconfig, TLS flags, --request-timeout and the -v request log."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.kube.config import load_contexts, prepare, set_process_overrides
from rollout_tui.kube.overrides import ConnectionOverrides, Impersonation
from tests.cli.conftest import Run
from tests.kube.conftest import rollout


@pytest.fixture
def demo(sim: Any) -> Any:
    sim.store.create("rollouts", rollout("demo"))
    sim.add_user("viewer", "viewer-token", read_only_namespaces=["*"])
    return sim


@pytest.fixture(autouse=True)
def no_process_overrides() -> Iterator[None]:
    yield
    set_process_overrides(ConnectionOverrides())  # main() sets them for the process; tests share one


def kubeconfig_for(sim: Any, path: Path, **user: Any) -> str:
    """A kubeconfig for ``sim`` whose user entry is ``user`` (default: the admin's token)."""
    target = sim.write_kubeconfig(path)
    config = yaml.safe_load(Path(target).read_text())
    if user:
        config["users"][0]["user"] = user
    Path(target).write_text(yaml.safe_dump(config))
    return str(target)


def paused(sim: Any) -> bool:
    return bool(sim.store.get("rollouts", "default", "demo")["spec"].get("paused"))


def test_as_is_sent_on_every_request_and_the_simulator_records_it(
    demo: Any, kubeconfig: str, run: Run
) -> None:
    code, out, _ = run(
        "list", "rollouts", "--kubeconfig", kubeconfig, "--as", "viewer", "--as-group", "a", "--as-group", "b"
    )
    assert code == 0 and "demo" in out
    (record,) = demo.impersonations
    assert (record.by, record.user, record.groups, record.method) == ("admin", "viewer", ("a", "b"), "GET")
    assert record.path.startswith("/apis/argoproj.io/v1alpha1/namespaces/default/rollouts")


def test_a_write_as_a_read_only_user_is_refused_by_the_server(demo: Any, kubeconfig: str, run: Run) -> None:
    code, _, err = run("pause", "demo", "--kubeconfig", kubeconfig, "--as", "viewer")
    assert code == 1
    assert 'User "viewer" cannot patch resource "rollouts" in API group "argoproj.io"' in err
    assert not paused(demo)
    assert any(r.method == "PATCH" and r.user == "viewer" for r in demo.impersonations)
    assert run("pause", "demo", "--kubeconfig", kubeconfig)[0] == 0 and paused(demo)


def test_impersonation_by_a_user_who_may_not_is_refused_as_kube_apiserver_words_it(
    demo: Any, tmp_path: Path, run: Run
) -> None:
    kc = kubeconfig_for(demo, tmp_path / "kc", token="viewer-token")
    code, _, err = run("get", "rollout", "demo", "--kubeconfig", kc, "--as", "admin")
    assert code == 1
    assert (
        'users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the '
        "cluster scope"
    ) in err
    assert demo.impersonations == []


def test_watches_carry_the_headers(demo: Any, kubeconfig: str, run: Run) -> None:
    # status watches the rollout (a list+watch reflector) until it is done or the timeout passes
    code, _, err = run("status", "demo", "--kubeconfig", kubeconfig, "--timeout", "1s", "--as", "viewer")
    assert code == 1 and "exceeded timeout" in err
    watches = [r for r in demo.impersonations if "watch=true" in r.path]
    assert watches and all(r.user == "viewer" for r in watches)


def test_access_reviews_are_answered_for_the_impersonated_user(demo: Any, kubeconfig: str) -> None:
    from rollout_tui.kube.transport import post_json

    review = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {
            "resourceAttributes": {
                "verb": "patch",
                "group": "argoproj.io",
                "resource": "rollouts",
                "namespace": "default",
            }
        },
    }
    path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
    for impersonate, allowed in ((Impersonation(), True), (Impersonation("viewer"), False)):
        (context,) = load_contexts(kubeconfig, overrides=ConnectionOverrides(impersonate=impersonate))
        answer = json.loads(post_json(context.api_client, path, review).data)
        assert answer["status"]["allowed"] is allowed
    assert [r.path for r in demo.impersonations] == [path]


def test_the_tui_path_uses_the_process_flags(demo: Any, kubeconfig: str) -> None:
    set_process_overrides(ConnectionOverrides(impersonate=Impersonation("viewer", ("g",))))
    (context,) = prepare(kubeconfig)
    assert context.impersonation == Impersonation("viewer", ("g",))


def test_groups_without_a_user_are_refused_like_kubectl(demo: Any, kubeconfig: str, run: Run) -> None:
    code, _, err = run("list", "rollouts", "--kubeconfig", kubeconfig, "--as-group", "g")
    assert code == 1
    assert err == "error: requesting uid, groups or user-extra for sim-admin without impersonating a user\n"


def test_token_and_server_flags_win_over_the_kubeconfig(demo: Any, tmp_path: Path, run: Run) -> None:
    kc = kubeconfig_for(demo, tmp_path / "kc", token="not-a-token")
    assert "Unauthorized" in run("list", "rollouts", "--kubeconfig", kc)[2]
    assert run("list", "rollouts", "--kubeconfig", kc, "--token", demo.token)[0] == 0
    config = yaml.safe_load(Path(kc).read_text())
    config["clusters"][0]["cluster"]["server"] = "http://127.0.0.1:9"
    Path(kc).write_text(yaml.safe_dump(config))
    assert run("list", "rollouts", "--kubeconfig", kc, "--token", demo.token)[0] == 1
    assert run("list", "rollouts", "--kubeconfig", kc, "--token", demo.token, "-s", demo.url)[0] == 0


def test_server_and_token_alone_need_no_kubeconfig(
    demo: Any, tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "missing"))
    monkeypatch.setenv("HOME", str(tmp_path))
    code, out, err = run("list", "rollouts", "--server", demo.url, "--token", demo.token)
    assert code == 0, err
    assert "demo" in out


def test_user_and_cluster_select_other_kubeconfig_entries(demo: Any, tmp_path: Path, run: Run) -> None:
    kc = kubeconfig_for(demo, tmp_path / "kc")
    config = yaml.safe_load(Path(kc).read_text())
    config["users"].append({"name": "viewer", "user": {"token": "viewer-token"}})
    config["clusters"].insert(0, {"name": "dead", "cluster": {"server": "http://127.0.0.1:9"}})
    config["contexts"][0]["context"]["cluster"] = "dead"
    Path(kc).write_text(yaml.safe_dump(config))
    assert run("list", "rollouts", "--kubeconfig", kc)[0] == 1
    assert run("list", "rollouts", "--kubeconfig", kc, "--cluster", "sim")[0] == 0
    code, _, err = run("pause", "demo", "--kubeconfig", kc, "--cluster", "sim", "--user", "viewer")
    assert code == 1 and 'User "viewer" cannot patch' in err
    assert (
        run("list", "rollouts", "--kubeconfig", kc, "--user", "nobody")[2]
        == 'error: auth info "nobody" does not exist\n'
    )
    assert run("list", "rollouts", "--kubeconfig", kc, "--cluster", "nowhere")[2] == (
        'error: no server found for cluster "nowhere"\n'
    )


def test_tls_flags(tmp_path: Path, run: Run) -> None:
    from rollout_tui.sim import Simulator

    with Simulator(controller=False) as tls_sim:
        tls_sim.store.create("rollouts", rollout("demo"))
        kc = tls_sim.write_kubeconfig(tmp_path / "kc")
        config = yaml.safe_load(Path(kc).read_text())
        del config["clusters"][0]["cluster"]["certificate-authority-data"]
        Path(kc).write_text(yaml.safe_dump(config))
        ca = tmp_path / "ca.pem"
        ca.write_bytes(tls_sim.certificates.ca_pem)
        code, _, err = run("list", "rollouts", "--kubeconfig", str(kc))
        assert code == 1 and "certificate" in err.lower()
        assert run("list", "rollouts", "--kubeconfig", str(kc), "--certificate-authority", str(ca))[0] == 0
        assert run("list", "rollouts", "--kubeconfig", str(kc), "--insecure-skip-tls-verify")[0] == 0
        args = ("list", "rollouts", "--kubeconfig", str(kc), "--certificate-authority", str(ca))
        assert run(*args, "--tls-server-name", "localhost")[0] == 0
        assert run(*args, "--tls-server-name", "elsewhere.example")[0] == 1


def test_client_certificate_flags_reach_the_client(tmp_path: Path) -> None:
    from rollout_tui.sim import Simulator

    for name in ("c.pem", "k.pem"):
        (tmp_path / name).write_text("")  # the client checks the files exist; nothing connects here
    with Simulator(controller=False) as tls_sim:  # client certificates are only sent over TLS
        kc = str(tls_sim.write_kubeconfig(tmp_path / "kc"))
        flags = ConnectionOverrides(
            client_certificate=str(tmp_path / "c.pem"), client_key=str(tmp_path / "k.pem")
        )
        (context,) = load_contexts(kc, overrides=flags)
    configuration = context.api_client.configuration
    assert (configuration.cert_file, configuration.key_file) == (
        str(tmp_path / "c.pem"),
        str(tmp_path / "k.pem"),
    )


def test_request_timeout(demo: Any, kubeconfig: str, run: Run) -> None:
    fault = urllib.request.Request(f"{demo.url}/sim/faults/latency?seconds=1.5", method="POST")
    fault.add_header("Authorization", f"Bearer {demo.token}")
    urllib.request.urlopen(fault, timeout=5).read()
    try:
        code, _, err = run("get", "rollout", "demo", "--kubeconfig", kubeconfig, "--request-timeout", "300ms")
        assert code == 1 and "read timeout" in err
        assert run("get", "rollout", "demo", "--kubeconfig", kubeconfig, "--request-timeout", "10")[0] == 0
    finally:
        reset = urllib.request.Request(f"{demo.url}/sim/faults/reset", method="POST")
        reset.add_header("Authorization", f"Bearer {demo.token}")
        urllib.request.urlopen(reset, timeout=5).read()
    assert run("list", "rollouts", "--kubeconfig", kubeconfig, "--request-timeout", "soon")[2] == (
        "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by "
        "a corresponding time unit (e.g. 1s | 2m | 3h)\n"
    )


def test_verbose_request_log_never_shows_credentials(demo: Any, kubeconfig: str, run: Run) -> None:
    code, out, err = run("list", "rollouts", "--kubeconfig", kubeconfig, "-v=6")
    assert code == 0 and "demo" in out
    line = next(line for line in err.splitlines() if "/rollouts" in line)
    assert line.startswith("I") and line.endswith(" milliseconds") and " 200 OK in " in line
    _, _, err = run("list", "rollouts", "--kubeconfig", kubeconfig, "--v", "7", "--as", "viewer")
    assert "    Authorization: Bearer <masked>" in err and "    Impersonate-User: viewer" in err
    assert demo.token not in err


def test_kubectl_sees_the_same_impersonation(tmp_path: Path) -> None:
    from rollout_tui.sim import Simulator
    from tests.sim.conftest import Kubectl, require_kubectl

    with Simulator(controller=False) as tls_sim:  # kubectl sends tokens over TLS only
        tls_sim.store.create("rollouts", rollout("demo"))
        tls_sim.add_user("viewer", "viewer-token", read_only_namespaces=["*"])
        kubectl = Kubectl(require_kubectl(), tls_sim.write_kubeconfig(tmp_path / "kc"), tmp_path / "cache")
        assert kubectl.run("auth", "can-i", "patch", "rollouts", "--as", "viewer").stdout.startswith("no")
        assert kubectl.run("auth", "can-i", "patch", "rollouts").stdout.strip() == "yes"
        patch = (
            "patch",
            "rollout",
            "demo",
            "--type=merge",
            "-p",
            '{"spec":{"paused":true}}',
            "--as",
            "viewer",
        )
        assert 'User "viewer" cannot patch resource "rollouts"' in kubectl.fails(*patch)
        assert not paused(tls_sim)
        assert {r.user for r in tls_sim.impersonations} == {"viewer"}


def test_a_token_beginning_with_a_dash_is_the_tokens_value_as_kubectl_reads_it(demo: Any, run: Run) -> None:
    demo.add_user("dash", "-dash-token", read_only_namespaces=["*"])
    code, out, err = run("list", "rollouts", "--server", demo.url, "--token", "-dash-token")
    assert code == 0, err
    assert "demo" in out
    code, _, err = run("pause", "demo", "-s", demo.url, "--token", "-dash-token")
    assert code == 1 and 'User "dash" cannot patch' in err  # the token was the user's: read-only
