"""The incident views from the detail's keys, over real HTTPS: `l` logs (a pod, a ReplicaSet
merged, stable and canary side by side, previous, search, container, tail, follow, closed on
exit), `Y` YAML, `d` revision diff, `a` analysis in full, `T` terminate, and the confirmations
that say what a promote or an undo changes (a workloadRef undo writes the Deployment)."""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from incidenthelpers import incident_world, make_app, open_rollout, put_cursor
from uihelpers import screen_text, wait_until

from rollout_tui.ui.screens.analysis_screen import AnalysisScreen
from rollout_tui.ui.screens.confirm import ConfirmScreen
from rollout_tui.ui.screens.diff_screen import DiffScreen
from rollout_tui.ui.screens.logs_screen import LogsScreen
from rollout_tui.ui.screens.yaml_screen import YamlScreen

WIDE, NARROW = (200, 60), (120, 40)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with incident_world(Path(tmp_path_factory.mktemp("views"))) as found:
        yield found


def canary_pod(data: Any) -> bool:
    return (
        data.ref.startswith("crash-") and data.ref.count("-") == 2 and not data.ref.startswith("crash-7fcb")
    )


def log_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("logs ")]


async def test_l_on_a_crashing_pod_shows_its_logs_and_p_the_panic_of_the_previous_run(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "crash")
        pane = app.detail_pane()
        canary = next(rs for rs in pane.info.replicasets if rs.canary)
        await put_cursor(pilot, "Pod", lambda d: d.ref == canary.pods[0].name)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), what="the logs screen")
        screen = app.screen
        [logs] = screen.log_panes
        app.refresh_detail()  # a batch while the logs are up: the detail's watch stays open under them
        assert app.feed.watch is not None and not app.feed.watch.closed
        await pilot.press("p")  # the run that crashed
        await wait_until(
            pilot, lambda: any(i.text.startswith("panic: ") for i in logs.items), what="the panic"
        )
        assert "previous container" in screen_text(app)
        await pilot.press("slash", *"panic", "enter")
        assert logs.term == "panic" and logs.current is not None
        assert "/panic: " in screen_text(app)
        await pilot.press("t")
        await wait_until(pilot, lambda: app.screen is not screen, what="the tail prompt")
        await pilot.press("ctrl+a", "ctrl+k", "3", "enter")
        await wait_until(
            pilot, lambda: screen.options.tail == 3 and 0 < len(logs.items) <= 3, what="a tail of 3"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, LogsScreen), what="back to the detail")
        await wait_until(pilot, lambda: not log_threads(), what="every log stream closed")


def kubectl_follow(world: Any, pod: str, wanted: str, timeout: float = 10) -> list[str]:
    """`kubectl logs -f <pod>` against the same simulator: its lines up to one holding `wanted`."""
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "HTTPS_PROXY", "https_proxy")}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    argv = ["kubectl", f"--kubeconfig={world.kubeconfig}", "-n", "shop", "logs", "-f", pod, "--tail=40"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    try:
        while (line := lines.get(timeout=timeout)) is not None:
            seen.append(line)
            if wanted in line:
                return seen
        raise AssertionError(f"kubectl logs -f ended without {wanted!r}: {seen}")
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


async def test_kubectl_logs_f_reads_the_crash_that_l_shows_on_the_same_pod(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "crash")
        canary = next(rs for rs in app.detail_pane().info.replicasets if rs.canary)
        pod = canary.pods[0].name
        await put_cursor(pilot, "Pod", lambda d: d.ref == pod)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), what="the logs screen")
        [logs] = app.screen.log_panes
        await pilot.press("p")
        panic = await wait_until(
            pilot,
            lambda: next((i.text for i in logs.items if i.text.startswith("panic: ")), None),
            what="the panic in the l view",
        )
        # The kubelet serves a waiting container's last run: the same panic, to real kubectl.
        followed = kubectl_follow(world, pod, "panic: ")
        assert any(line.endswith(panic) for line in followed), (panic, followed)
        await pilot.press("escape")


async def test_l_on_the_canary_replicaset_of_a_wide_terminal_puts_stable_beside_it(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=WIDE) as pilot:
        await open_rollout(pilot, "pull")
        await put_cursor(
            pilot,
            "ReplicaSet",
            lambda d: any(rs.canary and rs.name == d.ref for rs in app.detail_pane().info.replicasets),
        )
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), what="the logs screen")
        stable, canary = app.screen.log_panes
        assert stable.target.title.startswith("stable ") and canary.target.title.startswith("canary ")
        await wait_until(pilot, lambda: stable.items, what="the stable pods' lines")
        assert {line.pod for line in stable.items} == {p.name for p in stable.target.pods}  # merged
        assert stable.visible_text()[0].split()[0] in {p.name.rsplit("-", 1)[1] for p in stable.target.pods}
        await wait_until(
            pilot, lambda: "waiting to start" in screen_text(app), what="the canary waits for its image"
        )
        await pilot.press("c")
        await wait_until(pilot, lambda: "all containers" in screen_text(app), what="the container picker")
        await pilot.press("escape", "escape")


async def test_Y_shows_the_pod_yaml_and_searches_it(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "crash")
        await put_cursor(pilot, "Pod", canary_pod)
        await pilot.press("Y")
        await wait_until(pilot, lambda: isinstance(app.screen, YamlScreen), what="the YAML screen")
        lines = app.screen.view_lines.items
        assert lines[:2] == ["apiVersion: v1", "kind: Pod"]
        assert any("lastState:" in line for line in lines) and any(
            "CrashLoopBackOff" in line for line in lines
        )
        await pilot.press("slash", *"restartCount", "enter")
        assert app.screen.view_lines.current is not None
        assert "restartCount" in app.screen.view_lines.items[app.screen.view_lines.current]


async def test_Y_on_a_revision_line_shows_the_rollout(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "checked")
        await put_cursor(pilot, "Revision")
        await pilot.press("Y")
        await wait_until(pilot, lambda: isinstance(app.screen, YamlScreen), what="the YAML screen")
        lines = app.screen.view_lines.items
        assert lines[:2] == ["apiVersion: argoproj.io/v1alpha1", "kind: Rollout"]
        assert "    analysis:" in lines or any(line.strip() == "- analysis:" for line in lines)


async def test_d_shows_what_the_canary_changes_and_promote_and_undo_confirm_it(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "crash")
        await put_cursor(pilot, "Revision", lambda d: d.revision == 2)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, DiffScreen), what="the diff screen")
        text = screen_text(app)
        assert "revision 2 (canary) against revision 1 (stable)" in text
        assert "in short: image blue → v2-crash, env LOG_LEVEL info → debug" in text
        await pilot.press("escape")
        await pilot.press("p")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the promote confirmation"
        )
        assert "(image blue → v2-crash, env LOG_LEVEL info → debug)" in app.screen.proposal.text
        await pilot.press("escape")
        await put_cursor(pilot, "Revision", lambda d: d.revision == 1)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the undo confirmation")
        assert "back to revision 1" in app.screen.proposal.text
        assert "(image v2-crash → blue, env LOG_LEVEL debug → info)" in app.screen.proposal.text
        await pilot.press("escape")


async def test_a_shows_the_analysis_in_full(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "checked", lambda pane: pane.info.analysisruns)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AnalysisScreen), what="the analysis screen")
        items = app.screen.view_lines.items
        text = "\n".join(f"{label} {value}" for label, value, _ in items)
        assert "provider prometheus" in text and "address http://prometheus.monitoring:9090" in text
        query = dict(app.screen.run.metrics[0].provider_fields)["query"]
        assert 'service="checked-canary.shop.svc.cluster.local"' in query  # {{args.service-name}} resolved
        assert query.replace(" ", "") in "".join(value for _, value, _ in items).replace(" ", "")  # all of it
        assert "success result[0] >= 0.95" in text
        assert "Successful" in text and "[0." in text  # the measurements, with their values


async def test_a_keymap_rebinds_l_and_a_type_name_context_asks_the_runs_name_for_T(world: Any) -> None:
    from rollout_tui.settings.parse import parse_settings
    from rollout_tui.ui.app import RolloutApp
    from rollout_tui.ui.screens.confirm_typed import TypeNameConfirmScreen
    from rollout_tui.ui.settings_check import keymap_warnings

    settings = parse_settings(
        "keymap:\n  logs: L\ncontexts:\n  sim:\n    confirm: type-name\n", "config.yaml"
    )
    app = RolloutApp(
        world.fleet, world.contexts, clock=world.clock(), theme="textual-dark", settings=settings
    )
    app.use_keymap(dict(settings.keymap))
    async with app.run_test(size=NARROW) as pilot:
        assert keymap_warnings(settings) == []  # `logs` is a known binding id, L a free key
        await open_rollout(pilot, "checked", lambda pane: pane.info.analysisruns)
        run = app.detail_pane().info.analysisruns[0]
        await put_cursor(pilot, "AnalysisRun", lambda d: d.ref == run.name)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, TypeNameConfirmScreen), what="the typed modal")
        assert app.screen.expected == run.name  # the object terminated, not the rollout
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen), what="cancelled")
        assert world.get("analysisruns", run.name)["spec"].get("terminate") is not True
        await put_cursor(pilot, "Pod")
        await pilot.press("l")  # no longer the logs key
        await pilot.pause(0.3)
        assert not isinstance(app.screen, LogsScreen)
        await pilot.press("L")
        await wait_until(pilot, lambda: isinstance(app.screen, LogsScreen), what="the logs on L")
        await pilot.press("escape")


async def test_T_terminates_the_running_analysisrun_after_confirming(world: Any, request_log: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "checked", lambda pane: pane.info.analysisruns)
        run = app.detail_pane().info.analysisruns[0]
        await put_cursor(pilot, "AnalysisRun", lambda d: d.ref == run.name)
        await pilot.press("T")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
        assert app.screen.proposal.text.startswith(f"terminate AnalysisRun shop/{run.name}")
        await pilot.click("#confirm")
        await wait_until(
            pilot,
            lambda: world.get("analysisruns", run.name)["spec"].get("terminate") is True,
            what="the patch",
        )
        patches = [r for r in request_log.writes() if "/analysisruns/" in r[1]]
        assert [method for method, _ in patches] == ["PATCH"]


async def test_T_elsewhere_says_where_to_put_the_cursor(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "crash")
        await put_cursor(pilot, "Revision")
        await pilot.press("T")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmScreen)


async def test_undo_of_a_workloadref_rollout_patches_the_deployment(world: Any) -> None:
    app = make_app(world)
    async with app.run_test(size=NARROW) as pilot:
        await open_rollout(pilot, "web", lambda pane: len(pane.info.revisions) == 2)
        before = world.get("rollouts", "web")["metadata"]["resourceVersion"]
        await put_cursor(pilot, "Revision", lambda d: d.revision == 1)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the undo confirmation")
        assert "of Deployment/web (spec.workloadRef)" in app.screen.proposal.text
        await pilot.click("#confirm")
        image = lambda: world.get("deployments", "web")["spec"]["template"]["spec"]["containers"][0]["image"]  # noqa: E731
        await wait_until(
            pilot, lambda: image() == "argoproj/rollouts-demo:blue", what="the Deployment rolled back"
        )
        assert world.get("rollouts", "web")["metadata"]["resourceVersion"] == before
