"""A cluster that does not answer at start: nothing was ever loaded, so nothing is "stale"; the
header and the empty table say so with the server's address and the error, no action is offered,
and the command line names the address too (issue 10, defect 17)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from uihelpers import FROZEN_AT, screen_text, wait_until

from rollout_tui.cli import main
from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp


@pytest.fixture
def dead_cluster(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A kubeconfig whose server is a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = f"https://127.0.0.1:{port}"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "dead", "cluster": {"server": server, "insecure-skip-tls-verify": True}}],
        "contexts": [{"name": "dead", "context": {"cluster": "dead", "user": "u"}}],
        "users": [{"name": "u", "user": {"token": "t"}}],
        "current-context": "dead",
    }
    path = tmp_path / "kubeconfig"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    yield path, server


async def test_unreachable_at_start_says_nothing_loaded_where_and_why(dead_cluster: Any) -> None:
    from rollout_tui.kube.config import prepare
    from rollout_tui.kube.fleet import Fleet

    kubeconfig, server = dead_cluster
    loaded = prepare(str(kubeconfig), [], False, False)
    fleet = Fleet(loaded).start()
    try:
        app = RolloutApp(fleet, [c.name for c in loaded], clock=FixedClock(FROZEN_AT))
        async with app.run_test(size=(160, 30)) as pilot:
            said = f"cannot reach the API server at {server}: connection refused"
            await wait_until(
                pilot,
                lambda: "nothing loaded" in screen_text(app).splitlines()[0] and said in screen_text(app),
                timeout=20,
                what="header and body",
            )
            text = screen_text(app)
            assert "stale since" not in text and " 0 " not in text.splitlines()[0]
            assert said in text.splitlines()[0]  # the header says it too, where it has room
            assert "Nothing loaded from dead (unreachable)" in text
            assert app.check_action("act", ("promote",)) is False  # no action for a cluster never seen
            await wait_until(pilot, lambda: "Quit" in screen_text(app).splitlines()[-1], what="footer")
            footer = screen_text(app).splitlines()[-1]
            assert "Promote" not in footer and "Abort" not in footer
    finally:
        fleet.stop()


def test_cli_error_names_the_server(dead_cluster: Any, capsys: pytest.CaptureFixture[str]) -> None:
    kubeconfig, server = dead_cluster
    assert main(["--kubeconfig", str(kubeconfig), "list", "rollouts"]) != 0
    err = capsys.readouterr().err
    assert f"cannot reach the API server at {server}: connection refused" in err, err
