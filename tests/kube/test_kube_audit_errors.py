from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rollout_tui.kube.audit import AuditLog, default_audit_path
from rollout_tui.kube.errors import ErrorKind, classify, one_line


def test_default_path_follows_xdg_state_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_audit_path() == tmp_path / "rollout-tui" / "audit.jsonl"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_audit_path() == tmp_path / ".local" / "state" / "rollout-tui" / "audit.jsonl"


def test_audit_appends_one_json_line_per_action_private_file(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "state" / "audit.jsonl")
    for outcome in ("applied", "stale"):
        log.record(
            context="prod",
            user="alice",
            namespace="ns",
            name="demo",
            action="promote",
            patches=[{"method": "PATCH", "body": {"status": {"pauseConditions": None}}}],
            outcome=outcome,
            message="line\nbreak \x1b[31m",
        )
    lines = (tmp_path / "state" / "audit.jsonl").read_text().splitlines()
    assert len(lines) == 2
    entry = json.loads(lines[0])
    assert set(entry) == {
        "time",
        "context",
        "user",
        "namespace",
        "name",
        "action",
        "patch",
        "outcome",
        "message",
    }
    assert entry["outcome"] == "applied" and entry["user"] == "alice"
    assert "\n" not in entry["message"] and "\x1b" not in entry["message"]
    assert os.stat(tmp_path / "state" / "audit.jsonl").st_mode & 0o077 == 0
    assert [e["outcome"] for e in log.entries()] == ["applied", "stale"]


def test_audit_failure_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    log = AuditLog(blocker / "audit.jsonl")
    log.record(
        context="c",
        user="u",
        namespace="n",
        name="x",
        action="abort",
        patches=[],
        outcome="applied",
        message="",
    )
    assert log.last_error and "audit log" in log.last_error


def test_api_exception_is_one_line_with_reason() -> None:
    from kubernetes.client.exceptions import ApiException

    exc = ApiException(status=403, reason="Forbidden")
    exc.body = json.dumps(
        {
            "kind": "Status",
            "reason": "Forbidden",
            "code": 403,
            "message": 'rollouts.argoproj.io "demo" is forbidden: User "bob" cannot patch',
        }
    )
    err = classify(exc)
    assert err.kind is ErrorKind.FORBIDDEN and err.status == 403
    assert str(err) == 'rollouts.argoproj.io "demo" is forbidden: User "bob" cannot patch'
    assert classify(ApiException(status=410)).kind is ErrorKind.GONE
    assert classify(ApiException(status=503)).kind is ErrorKind.SERVER
    assert classify(ApiException(status=429)).kind is ErrorKind.THROTTLED


def test_urllib3_errors_are_classified() -> None:
    from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError

    assert classify(ReadTimeoutError(None, "/x", "read timed out")).kind is ErrorKind.TIMEOUT
    assert classify(ProtocolError("broken")).kind is ErrorKind.BROKEN
    refused = MaxRetryError(None, "/x", NewConnectionError(None, "Connection refused"))
    err = classify(refused)
    assert err.kind is ErrorKind.UNREACHABLE and "connection refused" in str(err)


def test_one_line_strips_control_characters_and_truncates() -> None:
    assert one_line("a\nb\tc\x1b[2J") == "a b c [2J"
    assert len(one_line("x" * 1000, 50)) == 50


def test_retry_after_is_read_from_a_throttling_answer() -> None:
    from kubernetes.client.exceptions import ApiException

    from rollout_tui.kube.reachability import retry_after as _retry_after

    throttled = ApiException(status=429)
    throttled.headers = {"Retry-After": "2"}
    assert _retry_after(throttled) == 2.0
    throttled.headers = {"Retry-After": "soon"}
    assert _retry_after(throttled) == 0.0
    assert _retry_after(ValueError("no headers")) == 0.0
