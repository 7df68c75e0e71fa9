"""The rollout-tui shell: the overview table, the header, the detail, actions.

Data flow, one way: kube Fleet threads -> `Fleet.batches` -> drained here by a timer
(`DRAIN_SECONDS`) into the `FleetView`, in slices of `DRAIN_SLICE_SECONDS` that let keys and a
repaint through -> the visible rows (kept in order, `VisibleRows`) -> the table (only the lines on
screen that changed), the header (`HeaderPace`), the detail (rebuilt only when its objects
changed). A slower timer (`TICK_SECONDS`) moves ages and time-dependent attention; the detail
pane ticks its own countdowns. The parts with one job each: `query.TableQuery` (what the
table shows), `action_flow.ActionFlow` (possible? confirm, run, report), `alerts.Alerter` (toasts,
bell, notifications), `detail_feed.DetailFeed` (the detail's watch). Nothing from the cluster is
passed to Textual as markup.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.filter import Monochrome, NoColor
from textual.screen import ModalScreen

from rollout_tui.kube.fleet import Fleet
from rollout_tui.kube.state import Phase
from rollout_tui.model.actions import BY_ID, ActionArgs, ActionSpec
from rollout_tui.model.clock import Clock, SteadyClock
from rollout_tui.model.icons import glyphs_for
from rollout_tui.settings import Settings

from . import signals
from .action_flow import ActionFlow
from .alerts import Alerter
from .bulk import BULK_ACTIONS, Bulk
from .child_actions import confirm
from .detail_feed import DetailFeed
from .detail_host import DetailHost
from .fleet_view import Changes, Entry, FleetView
from .header import HeaderBar, empty_text, header_view, stale_contexts
from .header_pace import HeaderPace
from .keys import ACTION_KEYS, VIEW_KEYS, action_binding
from .layout import ShellLayout
from .loading import LoadedContexts
from .messages import AccessChecked, ActionFinished
from .overview import OverviewTable
from .palette import FleetCommands
from .prompts import ask_for_args
from .query import TableQuery
from .rings import Rings, RingsOptions, RingsScreen
from .safe import clean
from .screens.help import HelpScreen
from .scrollbars import install as install_scrollbars
from .shell_keys import ShellKeys
from .table_keys import TABLE_ACTIONS
from .textual_fixes import install as install_textual_fixes
from .visible_rows import VisibleRows

install_scrollbars()  # --ascii scrollbars for the apps that ask (see scrollbars.py)
install_textual_fixes()  # widgets' render caches freed with the widgets (see textual_fixes.py)

DRAIN_SECONDS = 0.25  # watch batches reach the table at most 4 times a second
DRAIN_SLICE_SECONDS = 0.01  # a drain applies batches for this long, then lets keys through
LOADING_DRAIN_SECONDS = 0.05  # while a first list loads, its pages are drained this often
TICK_SECONDS = 1.0  # ages, time-dependent attention, alert flushing
WIDE = 140  # from this width the detail sits beside the table


class RolloutApp(ShellKeys, DetailHost):
    CSS_PATH = "app.tcss"
    TITLE = "rollout-tui"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]  # noqa: RUF012 - Textual's own declaration
    COMMANDS = App.COMMANDS | {FleetCommands}
    # Footer order: help, then every action (greyed when not possible), then the view keys.
    BINDINGS: ClassVar[list[BindingType]] = [
        *(k.binding() for k in VIEW_KEYS if k.action == "help"),
        *(action_binding(spec) for spec in ACTION_KEYS),
        *(k.binding() for k in VIEW_KEYS if k.action != "help"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(
        self,
        fleet: Fleet,
        contexts: Sequence[str],
        *,
        clock: Clock | None = None,
        read_only: bool = False,
        ascii_glyphs: bool = False,
        notify_desktop: bool = False,
        theme: str | None = None,
        scope: str = "all namespaces",
        animate: bool = True,
        settings: Settings | None = None,
        rings: RingsOptions | None = None,
    ) -> None:
        super().__init__()
        if self.no_color:  # NO_COLOR means no colour codes at all; Textual's default still sends greys
            self._filters = [NoColor() if isinstance(f, Monochrome) else f for f in self._filters]
        self.fleet = fleet
        self.contexts = list(contexts)
        self.clock: Clock = clock or SteadyClock()  # a system clock jump moves no age or countdown
        self.read_only = read_only
        self.glyphs = glyphs_for(ascii_glyphs)
        self.ascii_scrollbars = ascii_glyphs
        self.scope_label = scope
        self.requested_theme = theme
        self.settings = settings or Settings()  # the config file's: favourites, badges, policies
        self.view = FleetView(self.settings)
        self.feed = DetailFeed(fleet)
        self.flow = ActionFlow(self, fleet, read_only)
        self.alerter = Alerter(self.notify, self.bell, self._write_escape if notify_desktop else None)
        self.rings = Rings(self, rings)
        self.bulk = Bulk(self)
        self.layout = self.make_layout()
        self.default_sort = self.settings.sort if settings is not None else self.layout.default_sort
        self.table_query = TableQuery(
            sort=self.default_sort, text=self.settings.filter, quick=self.settings.status_filter
        )
        self.keymap_overrides: dict[str, str] = {}
        self.visible_rows = VisibleRows()
        self.visible_entries: list[Entry] = []
        self._slice_pending = False
        self.header_pace = HeaderPace(DRAIN_SECONDS)
        self._action_signature: object = ()
        self._footer_signature: object = ()  # which actions the footer shows as possible
        self._suspend = signals.SuspendDetector(DRAIN_SECONDS, time.monotonic())
        self.loaded_contexts = LoadedContexts(self.contexts)
        if not animate:
            self.animation_level = "none"

    def make_layout(self) -> ShellLayout:
        return ShellLayout(self)

    # ---- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield from self.layout.compose()

    def on_mount(self) -> None:
        self._apply_theme()
        self.layout.mounted()
        now = self.clock.now()
        # what it knows before any batch
        loaded = self.view.load(self.fleet.rollouts(), self.fleet.states(), now, self.fleet.warning_events())
        self.loaded_contexts.note(loaded, self.view.connections)
        self.alerter.baseline(self.view.entries.values())
        self.drain()
        self._apply(Changes(connections=True), alerts=False)
        self.show_start_filter()
        for warning in self.settings.warnings:  # the config file's, also printed on stderr
            self.notify(clean(warning, 300), title="config", severity="warning", markup=False, timeout=15)
        self.set_interval(DRAIN_SECONDS, self.drain)
        self.set_interval(TICK_SECONDS, self.tick)
        self.table.focus()
        self.rings.mounted()
        signals.install(asyncio.get_running_loop(), lambda code: signals.leave(self, code))

    def use_keymap(self, keymap: dict[str, str]) -> None:
        """The config's keymap (binding id -> keys): Textual rebinds, the footer and help follow.

        Textual moves every rebound binding to the end of the footer; giving it every binding of
        the app (unchanged ones with their own keys) keeps the footer in its designed order."""
        self.keymap_overrides = dict(keymap)
        own: dict[str, list[str]] = {}
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id:
                    own.setdefault(binding.id, []).append(binding.key)
        self.set_keymap({**{bid: ",".join(keys) for bid, keys in own.items()}, **keymap} if keymap else {})

    def _apply_theme(self) -> None:
        if self.requested_theme:
            self.theme = self.requested_theme
        elif not self.is_headless and self.console.color_system in ("standard", "windows"):
            self.theme = "ansi-dark"  # a 16-colour terminal: use its own palette, not approximations

    # ---- data -------------------------------------------------------------------------------------
    def drain(self) -> None:
        """One slice: what arrived, for at most DRAIN_SLICE_SECONDS; the rest after the next
        repaint (a list page is painted as it comes, and a key waits for one slice at most)."""
        if self._suspend.lag(time.monotonic()) > signals.RESUMED_AFTER:
            self.alerter.resumed(self.view.entries.values())  # what it slept through is not news
        changes = self.view.drain(self.fleet.batches, self.clock.now(), DRAIN_SLICE_SECONDS)
        if changes:
            with contextlib.suppress(NoMatches):  # a timer firing while the app shuts down
                self._apply(changes)
        if self._slice_pending:
            return
        if changes.more:
            self._slice_pending = True
            self.call_after_refresh(self._next_slice)
        elif any(state.phase is Phase.SYNCING for state in self.view.connections.values()):
            self._slice_pending = True  # the next page soon: the list waits for us (Fleet lookahead)
            self.set_timer(LOADING_DRAIN_SECONDS, self._next_slice)

    def _next_slice(self) -> None:
        self._slice_pending = False
        self.drain()

    def tick(self) -> None:
        changes = self.view.retime(self.clock.now())
        with contextlib.suppress(NoMatches):
            self._apply(changes, alerts=True, ages=True)
            if self.header_pace.at_tick() or stale_contexts(self.view.connections):  # "no data for 12 s"
                self.refresh_header()
            self.alerter.flush()

    def _apply(self, changes: Changes, alerts: bool = True, ages: bool = False) -> None:
        """One refresh for one set of changes (or for a change of the query: `alerts=False`)."""
        if alerts:
            self.alerter.observe(changes, self.view.entries)
            self.alerter.flush()
        self.loaded_contexts.note(changes, self.view.connections)
        self.feed.mark(changes)
        with self.batch_update():
            if changes.changed or changes.removed or changes.connections or ages or not alerts:
                self._refresh_table(changes if alerts else None)
            if not alerts or self.header_pace.now(changes, self.view.connections):
                self.refresh_header()
            selected = self.selected_entry
            if selected is not None and selected.key in changes.changed:
                self._refresh_action_state()
            self.refresh_detail()
            self.layout.refreshed(changes)  # the wall's banner: in the same frame as the table

    def set_query(self, query: TableQuery) -> None:
        if query != self.table_query:
            self.table_query = query
            self._apply(Changes(), alerts=False)

    def _refresh_table(self, changes: Changes | None = None) -> None:
        """The rows for the query: updated by `changes`, or made again (None: a new query)."""
        table = self.table
        before = table.selected_key
        if changes is None or self.visible_rows.query != self.table_query:
            self.visible_rows.reset(self.view.entries.values(), self.table_query)
        else:
            self.visible_rows.update(changes, self.view.entries)
        self.visible_entries = self.visible_rows.entries()
        labelled = any(self.view.badge(c) is not None for c in self.contexts)  # a label is a warning sign
        table.set_show_context((len(self.contexts) > 1 and not self.table_query.context) or labelled)
        table.sync(self.visible_entries, self.clock.now(), stale_contexts(self.view.connections))
        self.layout.show_empty(None if self.visible_entries else empty_text(header_view(self)))
        if table.selected_key != before:
            self.selection_moved()

    def refresh_header(self) -> None:
        with self.header_pace.painting():
            self.query_one(HeaderBar).show(header_view(self))

    def namespaces_seen(self) -> list[str]:
        return sorted({e.state.namespace for e in self.view.entries.values()})

    # ---- selection and detail -----------------------------------------------------------------------
    @property
    def selected_entry(self) -> Entry | None:
        try:
            key = self.table.selected_key
        except NoMatches:  # the app shuts down
            return None
        return self.view.entries.get(key) if key else None

    def on_virtual_table_row_highlighted(self, event: OverviewTable.RowHighlighted) -> None:
        if self.screen_stack:  # not while shutting down (a refill's last highlight may still come)
            self.selection_moved()

    def on_virtual_table_row_selected(self, event: OverviewTable.RowSelected) -> None:
        self.action_open_detail()  # Enter on a row: the table consumes the key, so follow its event

    def selection_moved(self) -> None:
        self._action_signature = ()  # another rollout: always repaint footer and hints
        self._refresh_action_state()
        self.flow.check_access(self.selected_entry)
        self.refresh_detail(force=True)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_detail, True)

    # ---- actions ------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TABLE_ACTIONS and self.screen is not self.default_screen:
            return False  # filter/sort/pickers act on the table: only where the table is
        if action == "metric_chart" and isinstance(self.screen, ModalScreen):
            return False  # a chart (or a dialog) is already on top
        if action != "act":
            return True
        if isinstance(self.screen, ModalScreen | RingsScreen):
            return False  # no second modal on top of a confirmation; the rings view has no row to act on
        spec = BY_ID.get(str(parameters[0])) if parameters else None
        entry = self.selected_entry
        if spec is None or self.read_only:
            return False  # read-only: the actions do not exist at all
        if self.bulk.marks and spec.id in BULK_ACTIONS and self.screen is self.default_screen:
            return True if self.bulk.possible(spec) else None  # on the marked rows
        if entry is None:
            return False  # no row: nothing to act on
        return None if self.flow.why_not(entry, spec) else True

    def _refresh_action_state(self) -> None:
        """Footer and hints follow what the operator may do; repainted only when that changes."""
        signature = self.flow.signature(self.selected_entry)
        if signature != self._action_signature:
            self._action_signature = signature
            # the footer shows which actions are possible, not why: Textual recomposes it on
            # every refresh_bindings (most of a cursor move's work under a flood), so only then
            possible = None if signature is None else tuple(not why for why in signature)
            if possible != self._footer_signature:
                self._footer_signature = possible
                self.refresh_bindings()
            self.layout.show_hints(self.bulk.hints() or self.flow.hints(self.selected_entry))

    def on_access_checked(self, message: AccessChecked) -> None:
        self.flow.access_checked(message)
        self._action_signature = ()
        if self.screen_stack:  # answers may arrive while the app shuts down
            with contextlib.suppress(NoMatches):
                self._refresh_action_state()

    def action_act(self, action_id: str) -> None:
        """Every action key: ask what the action needs, then confirm exactly what it will do."""
        spec, entry = BY_ID.get(action_id), self.selected_entry
        if spec is not None and self.bulk.takes(action_id) and self.screen is self.default_screen:
            return self.bulk.act(spec)  # rows are marked: the action is for all of them
        if spec is None or entry is None or self.read_only:
            return
        why = self.flow.why_not(entry, spec)
        if why:
            self.notify(why, title=spec.title, severity="warning", markup=False)
            return
        ask_for_args(self, spec, entry, lambda args: self._confirm(spec, entry, args))

    def _confirm(self, spec: ActionSpec, entry: Entry, args: ActionArgs) -> None:
        proposal = self.flow.propose(spec, entry, args, getattr(self.detail_pane(), "info", None))
        if isinstance(proposal, str):
            self.notify(proposal, title=spec.title, severity="warning", markup=False)
            return
        confirm(self, self.flow, proposal, self.settings.policy(proposal.context).type_name)

    def on_action_finished(self, message: ActionFinished) -> None:
        self.flow.report(message, self.notify)

    def action_open_detail(self) -> None:
        if self.selected_entry is not None:
            self.layout.open_detail()

    def detail_screen_closed(self) -> None:
        self.layout.detail_screen_closed()

    async def action_quit(self) -> None:
        signals.leave(self, 0)  # on a terminal: restored, and the process ends at once

    def action_help(self) -> None:
        self.push_screen(HelpScreen(read_only=self.read_only, keymap=self.keymap_overrides))

    def _write_escape(self, sequence: str) -> None:
        driver = self._driver
        if not self.is_headless and driver is not None:
            driver.write(sequence)

    def on_unmount(self) -> None:
        self.rings.closed()
        signals.uninstall(asyncio.get_running_loop())
        self.feed.close()
