"""The simulator's impersonation: who may impersonate, whose permissions apply, what is recorded,
and kube-apiserver's wording for refusals (raw HTTPS, no client library in between)."""

from __future__ import annotations

import http.client
import json

from rollout_tui.sim import Simulator
from tests.sim.conftest import Http


def request(http: Http, path: str, headers: list[tuple[str, str]], method: str = "GET") -> tuple[int, dict]:
    conn = http.connection()
    try:
        conn.putrequest(method, path)
        for name, value in [("Authorization", f"Bearer {http.token}"), *headers]:
            conn.putheader(name, value)  # one line per header, repeated ones included
        conn.endheaders()
        resp: http.client.HTTPResponse = conn.getresponse()
        return resp.status, json.loads(resp.read() or b"{}")
    finally:
        conn.close()


PODS = "/api/v1/namespaces/default/pods"


def test_the_administrator_acts_with_the_impersonated_users_permissions(
    sim: Simulator, http_client: Http
) -> None:
    status, _ = request(http_client, PODS, [("Impersonate-User", "viewer")])
    assert status == 200
    status, body = request(http_client, f"{PODS}/x", [("Impersonate-User", "viewer")], "DELETE")
    assert status == 403
    assert (
        body["message"]
        == 'pods "x" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "default"'
    )


def test_unknown_users_may_do_nothing_unless_in_system_masters(sim: Simulator, http_client: Http) -> None:
    assert request(http_client, PODS, [("Impersonate-User", "nobody")])[0] == 403
    headers = [
        ("Impersonate-User", "nobody"),
        ("Impersonate-Group", "devs"),
        ("Impersonate-Group", "system:masters"),
    ]
    assert request(http_client, PODS, headers)[0] == 200
    record = sim.impersonations[-1]
    assert (record.by, record.user, record.groups, record.path) == (
        "admin",
        "nobody",
        ("devs", "system:masters"),
        PODS,
    )


def test_a_user_without_the_right_is_refused_in_kube_apiservers_words(sim: Simulator) -> None:
    viewer = Http(sim, "viewer-token")
    before = len(sim.impersonations)
    status, body = request(viewer, PODS, [("Impersonate-User", "admin")])
    assert (status, body["reason"]) == (403, "Forbidden")
    assert body["message"] == (
        'users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the '
        "cluster scope"
    )
    assert len(sim.impersonations) == before


def test_groups_without_a_user_are_a_bad_request(sim: Simulator, http_client: Http) -> None:
    assert request(http_client, PODS, [("Impersonate-Group", "devs")])[0] == 400


def test_the_administrators_generated_token_never_reads_as_a_command_line_option() -> None:
    """`--token <the token>` as kubectl's flags take it: a urlsafe token began with "-" one time in
    64 and the CLI then took it for an option (tests/cli/test_cli_kubectl_flags.py failed so)."""
    from rollout_tui.sim.auth import Users

    assert not [token for token in (Users().admin.token for _ in range(500)) if token.startswith("-")]
