"""The config file in the TUI: per-context read-only, keymaps, type-name confirmation, labels,
favourites and the table's defaults, through the real launcher (open_fleet, build_app), a real
Fleet on simulators over HTTP, and the app under Pilot.

Each simulator sits behind a recording proxy, so "no write reached prod" is read off the wire of
prod's own simulator while staging's actions go through on the same screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input
from uihelpers import FROZEN_AT, screen_text, stop_all, wait_until

from rollout_tui.cli import parse
from rollout_tui.kube.actions import Actions
from rollout_tui.kube.readonly import ReadOnlyViolation
from rollout_tui.model.clock import FixedClock
from rollout_tui.ui.app import RolloutApp
from rollout_tui.ui.demo import merge_kubeconfigs
from rollout_tui.ui.launch import build_app, open_fleet
from rollout_tui.ui.overview import OverviewTable
from rollout_tui.ui.palette import _commands as palette_commands
from rollout_tui.ui.screens.confirm import ConfirmScreen
from rollout_tui.ui.screens.confirm_typed import TypeNameConfirmScreen
from rollout_tui.ui.screens.help import HelpScreen
from tests.kube.conftest import RecordingProxy, proxied_kubeconfig

EXAMPLES = Path(__file__).resolve().parents[2] / "rollout_tui" / "examples"
PAUSED = "storefront"  # blue-green, waiting for promotion: `p` promotes it


@contextmanager
def launched(
    tmp_path: Path, config: str, contexts: tuple[str, ...] = ("prod", "staging")
) -> Iterator[tuple[RolloutApp, dict[str, Any], dict[str, RecordingProxy]]]:
    """The app as `rollout-tui --config FILE --context ...` builds it, one simulator per context."""
    from rollout_tui.commands._settings import checked_settings
    from rollout_tui.sim import Simulator

    sims: dict[str, Any] = {}
    proxies: dict[str, RecordingProxy] = {}
    fleet = None
    try:
        paths = []
        for name in contexts:
            sims[name] = Simulator(controller=False, tls=False, load=[EXAMPLES]).start()
            proxies[name] = RecordingProxy(sims[name].url).start()
            paths.append(
                Path(proxied_kubeconfig(sims[name], proxies[name], tmp_path / f"{name}.kc", context=name))
            )
        kubeconfig = merge_kubeconfigs(paths, tmp_path / "kubeconfig", contexts[0])
        (tmp_path / "config.yaml").write_text(config)
        argv = ["--config", str(tmp_path / "config.yaml"), "--kubeconfig", str(kubeconfig)]
        args = parse([*argv, *(word for c in contexts for word in ("--context", c))])
        settings = checked_settings(args)
        fleet, names = open_fleet(str(kubeconfig), list(contexts), False, None, settings.read_only, settings)
        app = build_app(fleet, names, args, settings, clock=FixedClock(FROZEN_AT), animate=False)
        fleet.start()
        assert fleet.wait_synced(10)
        yield app, sims, proxies
    finally:
        stop_all(fleet, proxies, sims)


def writes(proxy: RecordingProxy) -> list[tuple[str, str]]:
    return [(w["method"], w["path"]) for w in proxy.writes()]


def action_writes(proxy: RecordingProxy) -> list[tuple[str, str]]:
    """Writes other than the SelfSubjectAccessReviews that grey the footer."""
    return [w for w in writes(proxy) if "accessreview" not in w[1]]


async def select(app: RolloutApp, pilot: Any, key: str, rows: int) -> None:
    table = app.query_one(OverviewTable)
    await wait_until(pilot, lambda: table.row_count == rows, what=f"{rows} rows")
    assert table.select_key(key), key
    await pilot.pause()


def paused_conditions(sim: Any) -> Any:
    return sim.store.get("rollouts", "shop", PAUSED)["status"].get("pauseConditions")


async def test_a_read_only_context_gets_no_write_while_the_other_acts(tmp_path: Path) -> None:
    config = "contexts:\n  prod:\n    read-only: true\n    label: PROD\n    color: red\n"
    with launched(tmp_path, config) as (app, sims, proxies):
        fleet = app.fleet
        assert fleet.actions("prod") is None and fleet.actions("staging") is not None
        with pytest.raises(ValueError, match="read-only"):
            Actions(fleet.hub("prod").context)
        with pytest.raises(ReadOnlyViolation):  # the kube layer itself: prod's client cannot write
            fleet.hub("prod").context.api_client.call_api(
                f"/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/{PAUSED}", "PATCH", body={}
            )
        async with app.run_test(size=(140, 30)) as pilot:
            await select(app, pilot, f"prod/shop/{PAUSED}", rows=4)
            assert app.check_action("act", ("promote",)) is None  # greyed, with the reason
            assert not [label for label, *_ in palette_commands(app) if label.startswith("Promote")]
            await wait_until(pilot, lambda: "read-only" in screen_text(app), what="the reason")
            await pilot.press("p", "x", "z")
            await pilot.pause(0.3)
            assert not isinstance(app.screen, ConfirmScreen)

            await select(app, pilot, f"staging/shop/{PAUSED}", rows=4)
            await pilot.press("p")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirmation")
            await pilot.press("tab", "enter")
            await wait_until(pilot, lambda: not paused_conditions(sims["staging"]), what="staging promoted")
            text = screen_text(app)
        assert writes(proxies["prod"]) == []  # nothing, not even an access review, reached prod
        assert ("PATCH", f"/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts/{PAUSED}/status") in writes(
            proxies["staging"]
        )
        assert paused_conditions(sims["prod"])
        header, rows = text.splitlines()[0], [line for line in text.splitlines() if PAUSED in line]
        assert "prod PROD" in header  # the label beside the context's name
        contexts = [line[2:].lstrip() for line in rows]  # after the needs-me mark and its space
        assert any(cell.startswith("PROD") for cell in contexts)  # and in its rows
        assert any(cell.startswith("staging") for cell in contexts)


async def test_keymap_rebinds_by_binding_id_and_footer_and_help_follow(tmp_path: Path) -> None:
    config = "keymap:\n  promote: e\n  help: f2\n  promot: x\ncolour: red\n"
    with launched(tmp_path, config, contexts=("staging",)) as (app, _sims, proxies):
        async with app.run_test(size=(120, 30)) as pilot:
            await select(app, pilot, f"staging/shop/{PAUSED}", rows=2)
            toasts = [str(n.message) for n in app._notifications]  # stderr is behind the screen
            assert any('unknown key "colour"' in t for t in toasts)
            assert any("unknown binding id 'promot'" in t for t in toasts)
            # The footer recomposes after the bindings change, a frame or more later under load.
            await wait_until(pilot, lambda: "e Promote" in screen_text(app).splitlines()[-1], what="footer")
            assert "p Promote" not in screen_text(app).splitlines()[-1]
            await pilot.press("p")  # the old key does nothing now
            await pilot.pause(0.3)
            assert not isinstance(app.screen, ConfirmScreen)
            await pilot.press("e")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirmation on e")
            assert app.screen.proposal.spec.id == "promote"
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
            await pilot.press("f2")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help on f2")
            help_lines = screen_text(app).splitlines()
            assert any(" e " in line and "Promote" in line for line in help_lines)
            assert any("f2" in line and "Help" in line for line in help_lines)
        assert action_writes(proxies["staging"]) == []


TYPED = "contexts:\n  staging:\n    confirm: type-name\n"


async def promote_typed(app: RolloutApp, pilot: Any) -> Button:
    """`p` on the paused rollout of a type-name context: the modal's confirm button."""
    await select(app, pilot, f"staging/shop/{PAUSED}", rows=2)
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(app.screen, TypeNameConfirmScreen), what="typed modal")
    return app.screen.query_one("#confirm", Button)


async def test_type_name_confirmation_needs_the_rollouts_name(tmp_path: Path) -> None:
    with launched(tmp_path, TYPED, contexts=("staging",)) as (app, sims, _proxies):
        async with app.run_test(size=(120, 30)) as pilot:
            confirm = await promote_typed(app, pilot)
            screen = app.screen
            await wait_until(pilot, lambda: isinstance(app.focused, Input), what="focus in the name box")
            assert confirm.disabled
            await pilot.press(*"store", "enter")  # not the name: Enter does nothing
            await pilot.pause(0.2)
            assert confirm.disabled and app.screen is screen
            await pilot.press(*"front")
            await wait_until(pilot, lambda: not confirm.disabled, what="confirm enabled")
            await pilot.press("enter")  # from the box: to the button, not yet acting
            await pilot.pause(0.2)
            assert app.focused is confirm and paused_conditions(sims["staging"])
            await pilot.press("enter")
            await wait_until(pilot, lambda: not paused_conditions(sims["staging"]), what="promoted")


async def test_type_name_backspace_disables_again_and_cancel_sends_nothing(tmp_path: Path) -> None:
    with launched(tmp_path, TYPED, contexts=("staging",)) as (app, _sims, proxies):
        async with app.run_test(size=(120, 30)) as pilot:
            confirm = await promote_typed(app, pilot)
            await pilot.press(*PAUSED)
            await wait_until(pilot, lambda: not confirm.disabled)
            await pilot.press("backspace")
            await wait_until(pilot, lambda: confirm.disabled, what="disabled again")
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        assert action_writes(proxies["staging"]) == []


async def test_favourites_sort_filter_and_theme_from_the_file(tmp_path: Path) -> None:
    config = 'theme: nord\nsort: name\nfavourites: ["staging/*/storefront"]\nstatus-filter: all\n'
    with launched(tmp_path, config) as (app, _sims, _proxies):
        async with app.run_test(size=(120, 30)) as pilot:
            table = app.query_one(OverviewTable)
            await wait_until(pilot, lambda: table.row_count == 4)
            order = [e.key for e in app.visible_entries]
            assert order[0] == "staging/shop/storefront"  # pinned first
            assert order[1:] == ["prod/shop/checkout", "staging/shop/checkout", "prod/shop/storefront"]
            assert app.theme == "nord" and app.table_query.sort == "name"
            assert "★ storefront" in screen_text(app)
            await pilot.press("O")  # reversed: the favourite stays on top
            await pilot.pause()
            assert next(e.key for e in app.visible_entries) == "staging/shop/storefront"
    with launched(tmp_path / "filtered", "filter: checkout\nstatus-filter: Progressing\n") as (app, _, _):
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_until(pilot, lambda: len(app.visible_entries) == 2, what="only checkout rows")
            assert all(e.state.name == "checkout" for e in app.visible_entries)
            box = app.query_one("#filter", Input)
            assert box.display and box.value == "checkout"
            assert "status: Progressing, filter:" in screen_text(app).splitlines()[0]


@pytest.mark.parametrize(
    ("config", "error"),
    [
        ("theme: no-such-theme\n", "line 1: unknown theme 'no-such-theme'"),
        ("sort: sideways\n", "line 1: unknown sort 'sideways'"),
        ("\n\nstatus-filter: Broken\n", "line 3: unknown status-filter 'Broken'"),
        (
            "contexts:\n  prod:\n    read-only: maybe\n",
            "line 3: contexts.prod.read-only: expected true or false",
        ),
    ],
)
def test_the_tui_refuses_a_bad_config_in_one_line_before_connecting(
    tmp_path: Path, capsys: Any, config: str, error: str
) -> None:
    from rollout_tui.cli import main

    (tmp_path / "c.yaml").write_text(config)
    code = main(["--config", str(tmp_path / "c.yaml"), "--kubeconfig", str(tmp_path / "absent")])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and error in err and str(tmp_path / "c.yaml") in err


def test_namespace_default_and_flags_precedence(tmp_path: Path) -> None:
    from rollout_tui.commands._settings import settings_for
    from rollout_tui.ui.launch import _namespaces

    path = tmp_path / "c.yaml"
    path.write_text("namespace: shop\ntheme: nord\n")
    chosen: Callable[..., Any] = lambda *argv: settings_for(parse(["--config", str(path), *argv]))  # noqa: E731
    assert _namespaces(chosen()) == ["shop"]
    assert _namespaces(chosen("-n", "payments")) == ["payments"]
    assert _namespaces(chosen("-A")) is None
    assert chosen("--theme", "dracula").theme == "dracula" and chosen().theme == "nord"
    assert chosen("--read-only").read_only and not chosen().read_only
