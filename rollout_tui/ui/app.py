"""The rollout-tui application shell: overview table, header, detail, actions, wall mode.

Data flow: kube Fleet threads -> ``fleet.batches`` -> drained here by a timer (``DRAIN_SECONDS``)
-> FleetBridge entries -> diffed into the table. A second, slower timer (``TICK_SECONDS``) moves
ages and countdowns and refreshes the detail pane. Actions run in thread workers and come back
as ``ActionFinished`` messages. Nothing from the cluster is passed to Textual as markup.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.filter import Monochrome, NoColor
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Static

from rollout_tui.model.clock import Clock, SystemClock

from . import action_calls, attention, facts
from .bridge import Changes, FleetBridge
from .detail_feed import DetailFeed
from .filtering import ATTENTION, QUICK_FILTERS, Subject, matches, parse, quick_matches
from .glyphs import Glyphs
from .header import HeaderBar, header_text
from .keys import ACTION_KEYS, VIEW_KEYS
from .messages import AccessChecked, ActionFinished, DetailOpened
from .overview import OverviewTable
from .palette import FleetCommands
from .plans import ACTIONS, TITLES, Plan, plan
from .rows import SORT_ORDER, SORTS, Entry
from .safe import clean
from .screens.confirm import ConfirmScreen
from .screens.help import HelpScreen
from .screens.picker import PickerScreen
from .screens.prompt import PromptScreen

DRAIN_SECONDS = 0.25  # watch batches reach the table at most 4 times a second
TICK_SECONDS = 1.0  # ages, countdowns, detail refresh
WIDE = 140  # from this width the detail sits beside the table
MAX_TOASTS_PER_DRAIN = 3
ALERT_SECONDS = 5.0  # at most one burst of attention toasts (and one bell) this often
TABLE_ACTIONS = frozenset(
    {
        "filter",
        "quick_filter",
        "attention",
        "sort",
        "reverse_sort",
        "pick_namespace",
        "pick_context",
        "open_detail",
        "clear_filter",
    }
)


def detail_pane_class() -> Any:
    from rollout_tui.ui.detail import DetailPane

    return DetailPane


class RolloutApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "rollout-tui"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (WIDE, "-wide")]
    COMMANDS = App.COMMANDS | {FleetCommands}
    # Footer order: help, then every action (greyed when not possible), then the view keys.
    BINDINGS: ClassVar[list[Binding]] = [
        *(k.binding() for k in VIEW_KEYS if k.action == "help"),
        *(k.binding() for k in ACTION_KEYS),
        *(k.binding() for k in VIEW_KEYS if k.action != "help"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(
        self,
        fleet: Any,
        contexts: Sequence[str],
        *,
        clock: Clock | None = None,
        read_only: bool = False,
        ascii_glyphs: bool = False,
        notify_desktop: bool = False,
        theme: str | None = None,
        scope: str = "all namespaces",
        animate: bool = True,
    ) -> None:
        super().__init__()
        if self.no_color:  # NO_COLOR means no colour codes at all; Textual's default still sends greys
            self._filters = [NoColor() if isinstance(f, Monochrome) else f for f in self._filters]
        self.fleet = fleet
        self.contexts = list(contexts)
        self.clock: Clock = clock or SystemClock()
        self.read_only = read_only
        self.glyphs = Glyphs(ascii=ascii_glyphs)
        self.notify_desktop = notify_desktop
        self.scope_label = scope
        self.requested_theme = theme
        self.bridge = FleetBridge(fleet, self.clock)
        self.feed = DetailFeed(fleet, self.clock)
        self.filter_query = ""
        self.quick = "all"
        self.default_sort = "context" if len(self.contexts) > 1 else "namespace"
        self.sort_key = self.default_sort
        self.sort_reverse = False
        self.namespace = ""  # "" = every namespace the fleet watches
        self.context = ""  # "" = every context
        self._flags: dict[str, attention.Flags] = {}
        self._alerts: list[tuple[Entry, tuple[str, ...]]] = []  # raised, not yet shown
        self._next_alert_at = 0.0
        self._header_dirty = False
        self._access: dict[tuple[str, str], dict[str, tuple[bool, str]]] = {}
        self._access_pending: set[tuple[str, str]] = set()
        self._visible: list[Entry] = []
        self._action_signature: object = ()
        if not animate:
            self.animation_level = "none"

    # ---- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(id="filter", placeholder='filter: name, "exact", label:value, !exclude')
                yield OverviewTable(self.glyphs, show_context=len(self.contexts) > 1, id="table")
                yield Static(id="hints")
            yield detail_pane_class()(ascii_only=self.glyphs.ascii, id="detail")
        # every action key must fit in 80 columns; ctrl+p is in the help screen
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._apply_theme()
        if self.glyphs.ascii:
            for pane in self.query("#detail"):
                pane.styles.border_left = ("ascii", pane.styles.border_left[1])
        for box in self.query("#filter").results(Input):
            box.display = False
        snapshot = getattr(self.fleet, "rollouts", None)
        if callable(snapshot):  # what the fleet already knows, before its batches arrive
            for ctx, rollouts in dict(snapshot()).items():
                self.bridge.load(ctx, rollouts)
        for key, entry in self.bridge.entries.items():  # the state found at start is the baseline
            self._flags[key] = attention.flags(entry.rollout, entry.status)
        self.drain()
        self.set_interval(DRAIN_SECONDS, self.drain)
        self.set_interval(TICK_SECONDS, self.tick)
        self.query_one(OverviewTable).focus()

    def _apply_theme(self) -> None:
        if self.requested_theme:
            self.theme = self.requested_theme
        elif not self.is_headless and self.console.color_system in ("standard", "windows"):
            self.theme = "ansi-dark"  # a 16-colour terminal: use its own palette, not approximations

    # ---- data ---------------------------------------------------------------------------
    def drain(self) -> None:
        changes = self.bridge.drain()
        if changes:
            with contextlib.suppress(NoMatches):  # a timer firing while the app shuts down
                self._apply_changes(changes)

    def tick(self) -> None:
        changes = self.bridge.retime()
        with contextlib.suppress(NoMatches):
            if changes:
                self._apply_changes(changes, alerts=False)
            if self._header_dirty:
                self._header_dirty = False
                self._refresh_header()
            if self._alerts and time.monotonic() >= self._next_alert_at:
                self._flush_alerts()
            self._refresh_detail()

    def _apply_changes(self, changes: Changes, alerts: bool = True) -> None:
        if alerts:
            self._check_attention(changes)
        with self.batch_update():
            self._refresh_table()
            if changes.states_changed or not alerts:
                self._refresh_header()  # connection states and the operator's own changes: now
            else:
                self._header_dirty = True  # counts in a busy fleet: once a second (tick)
        if self.selected_entry is not None and self.selected_entry.key in changes.changed:
            self._refresh_action_state()
            self._refresh_detail()

    def _refresh_action_state(self) -> None:
        """Footer and hints follow what the operator may do; repainted only when that changes."""
        entry = self.selected_entry
        signature = None if entry is None else tuple(self._why_not(entry, a) for a in ACTIONS)
        if signature != self._action_signature:
            self._action_signature = signature
            self.refresh_bindings()
            self._refresh_hints()

    def _visible_entries(self) -> list[Entry]:
        terms = parse(self.filter_query)
        out = []
        for e in self.bridge.entries.values():
            if self.context and e.context != self.context:
                continue
            if self.namespace and e.summary.namespace != self.namespace:
                continue
            if not quick_matches(
                self.quick,
                e.status,
                e.message,
                facts.is_aborted(e.rollout),
                facts.awaiting_promotion(e.rollout),
            ):
                continue
            subject = Subject(str(e.summary.name), str(e.summary.namespace), e.context, e.labels)
            if terms and not matches(terms, subject):
                continue
            out.append(e)
        out.sort(key=SORTS[self.sort_key], reverse=self.sort_reverse)
        return out

    def _refresh_table(self) -> None:
        table = self.query_one(OverviewTable)
        before = table.selected_key
        self._visible = self._visible_entries()
        table.set_show_context(len(self.contexts) > 1 and not self.context)
        table.sync(self._visible)
        if table.selected_key != before:
            self._selection_moved()

    def _refresh_header(self) -> None:
        extras = []
        if self.quick != "all":
            extras.append(f"status: {self.quick}")
        if self.filter_query:
            extras.append(f"filter: {clean(self.filter_query, 40)}")
        if self.sort_key != self.default_sort or self.sort_reverse:
            extras.append(f"sort: {self.sort_key}{' desc' if self.sort_reverse else ''}")
        scope = self.namespace or self.scope_label
        contexts = [self.context] if self.context else self.contexts
        text = header_text(
            contexts,
            scope,
            self.bridge.entries.values(),
            self.bridge.states,
            self.glyphs,
            shown=len(self._visible),
            extra=", ".join(extras),
        )
        self.query_one(HeaderBar).show(text)

    def _check_attention(self, changes: Changes) -> None:
        for key in changes.changed:
            entry = self.bridge.entries.get(key)
            if entry is None:
                continue
            now = attention.flags(entry.rollout, entry.status)
            found = attention.alerts(self._flags.get(key), now)
            self._flags[key] = now
            if found:
                self._alerts.append((entry, found))
        for key in changes.removed:
            self._flags.pop(key, None)
        if self._alerts and time.monotonic() >= self._next_alert_at:
            self._flush_alerts()

    def _flush_alerts(self) -> None:
        """Toasts, bell and desktop notification for what turned bad since the last flush.

        A busy fleet can raise dozens of alerts a second: at most MAX_TOASTS_PER_DRAIN toasts and
        one bell every ALERT_SECONDS, the rest summed up in one line, so the screen stays readable
        and the terminal quiet.
        """
        raised, self._alerts = self._alerts, []
        if not raised:
            return
        self._next_alert_at = time.monotonic() + ALERT_SECONDS
        for entry, found in raised[:MAX_TOASTS_PER_DRAIN]:
            target = clean(f"{entry.summary.namespace}/{entry.summary.name}", 120)
            self.notify(
                f"{target} {' and '.join(found)}",
                title=clean(entry.context, 40),
                severity="warning" if found == ("waiting for promotion",) else "error",
                markup=False,
                timeout=10,
            )
        if len(raised) > MAX_TOASTS_PER_DRAIN:
            self.notify(
                f"and {len(raised) - MAX_TOASTS_PER_DRAIN} more rollouts need attention (! shows them all)",
                markup=False,
                timeout=10,
            )
        self.bell()
        if self.notify_desktop:
            entry, found = raised[0]
            more = f" (+{len(raised) - 1} more)" if len(raised) > 1 else ""
            body = clean(f"{entry.summary.namespace}/{entry.summary.name} {' and '.join(found)}{more}", 200)
            self._write_escape(attention.desktop_notification("rollout-tui", body))

    def _write_escape(self, sequence: str) -> None:
        driver = getattr(self, "_driver", None)
        if not self.is_headless and driver is not None:
            driver.write(sequence)

    # ---- selection and detail ----------------------------------------------------------------
    @property
    def selected_entry(self) -> Entry | None:
        tables = self.query(OverviewTable)  # empty while the app shuts down
        key = tables.first().selected_key if tables else None
        return self.bridge.entries.get(key) if key else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._selection_moved()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_detail()  # Enter on a row: the table consumes the key, so follow its event

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key in SORTS:
            self.sort_reverse = not self.sort_reverse if self.sort_key == key else False
            self.sort_key = key
            self._apply_changes(Changes(states_changed=True), alerts=False)

    def _selection_moved(self) -> None:
        entry = self.selected_entry
        self._action_signature = ()  # another rollout: always repaint footer and hints
        self._refresh_action_state()
        self._check_access(entry)
        if self._detail_visible() and self.feed.want(entry) and entry is not None:
            self._open_detail(entry)
        elif entry is None:
            self.feed.close()
            self._detail_pane().clear()
        self._refresh_detail(force=True)

    def _detail_visible(self) -> bool:
        return self.screen.has_class("-wide") or self._detail_screen_open()

    def _detail_screen_open(self) -> bool:
        from .screens.detail import DetailScreen

        return isinstance(self.screen, DetailScreen)

    def _detail_pane(self) -> Any:
        from .screens.detail import DetailScreen

        if isinstance(self.screen, DetailScreen):
            return self.screen.pane
        return self.query_one("#detail")

    @work(thread=True, exit_on_error=False, group="detail")
    def _open_detail(self, entry: Entry) -> None:
        try:
            watch = self.feed.open_for(entry)
        except Exception as exc:
            self.notify(
                clean(f"cannot watch {entry.summary.name}: {exc}", 200), severity="error", markup=False
            )
            return
        self.post_message(DetailOpened(entry.key, watch))

    def on_detail_opened(self, message: DetailOpened) -> None:
        self.feed.attach(message.key, message.watch)
        with contextlib.suppress(NoMatches):
            self._refresh_detail(force=True)

    def refresh_detail_now(self) -> None:
        self._refresh_detail(force=True)

    def _refresh_detail(self, force: bool = False) -> None:
        entry = self.selected_entry
        if entry is None or not self._detail_visible():
            return
        if not getattr(self.screen, "ready", True):
            return  # a detail screen still mounting: it asks again when ready
        if self.feed.key != entry.key and self.feed.want(entry):
            self._open_detail(entry)
        if self.feed.watch is None:
            return  # until its watch has listed: no flash of an empty tree and "no analysis runs"
        view = self.feed.view(entry, force=force)
        if view is not None:
            pane = self._detail_pane()
            pane.show(*view)

    def on_resize(self) -> None:
        self.call_after_refresh(self._refresh_detail, True)

    # ---- actions ----------------------------------------------------------------------------
    def _actions(self, context: str) -> Any:
        if self.read_only:
            return None
        getter = getattr(self.fleet, "actions", None)
        return getter(context) if callable(getter) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TABLE_ACTIONS and self.screen is not self.default_screen:
            return False  # filter/sort/pickers act on the table: only where the table is
        if action not in ACTIONS:
            return True
        if isinstance(self.screen, ModalScreen):
            return False  # no second modal on top of a confirmation
        entry = self.selected_entry
        if entry is None:
            return None if not self.read_only else False
        if self._actions(entry.context) is None:
            return False  # read-only: the actions do not exist at all
        return None if self._why_not(entry, action) else True

    def _why_not(self, entry: Entry, action: str) -> str:
        """Why ``action`` cannot be done on ``entry`` now ("" when it can)."""
        if action not in ("undo", "set_image"):
            p = plan(action, entry.rollout)
            if not p.enabled:
                return p.reason
        answers = self._access.get((entry.context, entry.summary.namespace), {})
        allowed, reason = answers.get(action, (True, ""))
        return "" if allowed else (reason or "not allowed (RBAC)")

    def _refresh_hints(self) -> None:
        hints = self.query_one("#hints", Static)
        entry = self.selected_entry
        if entry is None or self._actions(entry.context) is None:
            hints.update(Text("read-only" if self.read_only else "", style="dim"), layout=False)
            return
        by_reason: dict[str, list[str]] = {}
        for action in ACTIONS:
            reason = self._why_not(entry, action)
            if reason:
                by_reason.setdefault(reason, []).append(TITLES[action].lower())
        text = Text(
            self.glyphs.sep.join(f"{', '.join(names)}: {reason}" for reason, names in by_reason.items()),
            style="dim",
            no_wrap=True,
            overflow="ellipsis",
        )
        hints.update(text, layout=False)  # one fixed line: no relayout (it repaints scrollbars)

    def _check_access(self, entry: Entry | None) -> None:
        if entry is None:
            return
        key = (entry.context, str(entry.summary.namespace))
        actions = self._actions(entry.context)
        if (
            actions is None
            or key in self._access
            or key in self._access_pending
            or not hasattr(actions, "can")
        ):
            return
        self._access_pending.add(key)
        self._fetch_access(actions, *key)

    @work(thread=True, exit_on_error=False, group="access")
    def _fetch_access(self, actions: Any, context: str, namespace: str) -> None:
        answers: dict[str, tuple[bool, str]] = {}
        for action in ACTIONS:
            try:
                allowed, reason = actions.can(action, namespace)
            except Exception as exc:  # unknown: leave it enabled, kube refuses if it must
                allowed, reason = True, clean(exc, 80)
            answers[action] = (bool(allowed), clean(reason, 120))
        self.post_message(AccessChecked(context, namespace, answers))

    def on_access_checked(self, message: AccessChecked) -> None:
        key = (message.context, message.namespace)
        self._access[key] = message.answers
        self._access_pending.discard(key)
        self._action_signature = ()
        with contextlib.suppress(NoMatches):  # answers may arrive while the app shuts down
            self._refresh_action_state()

    def _start(self, action: str, **kwargs: Any) -> None:
        entry = self.selected_entry
        if entry is None or self._actions(entry.context) is None:
            return
        why = self._why_not(entry, action) if action not in ("undo", "set_image") else ""
        p = plan(action, entry.rollout, **kwargs)
        if why or not p.enabled:
            self.notify(why or p.reason, title=TITLES[action], severity="warning", markup=False)
            return
        self.push_screen(
            ConfirmScreen(p, entry.context if len(self.contexts) > 1 else ""),
            callback=lambda ok: self._confirmed(entry, p) if ok else None,
        )

    def _confirmed(self, entry: Entry, p: Plan) -> None:
        self._run_action(entry, p)

    @work(thread=True, exit_on_error=False, group="actions")
    def _run_action(self, entry: Entry, p: Plan) -> None:
        # ``entry`` is the rollout exactly as it was when the modal opened: the stale-view guard
        # compares against it, not against whatever arrived while the operator read the modal.
        outcome = action_calls.run(
            self._actions(entry.context),
            p,
            str(entry.summary.namespace),
            str(entry.summary.name),
            entry.rollout,
        )
        key = entry.key
        self.post_message(ActionFinished(key, p, outcome.ok, outcome.outcome, outcome.text))

    def on_action_finished(self, message: ActionFinished) -> None:
        title = f"{TITLES[message.plan.action]} {message.plan.target}"
        if message.ok:
            self.notify(message.text or "done", title=title, markup=False)
            return
        severity = "warning" if message.outcome in ("stale", "denied", "unavailable") else "error"
        label = {
            "stale": "not applied: the rollout changed since you looked",
            "denied": "refused by the cluster (RBAC)",
        }.get(message.outcome, message.outcome)
        self.notify(
            f"{label}: {message.text}" if message.text else label,
            title=title,
            severity=severity,
            markup=False,
            timeout=12,
        )

    def action_promote(self) -> None:
        self._start("promote")

    def action_promote_full(self) -> None:
        self._start("promote_full")

    def action_abort(self) -> None:
        self._start("abort")

    def action_retry(self) -> None:
        self._start("retry")

    def action_pause(self) -> None:
        self._start("pause")

    def action_restart(self) -> None:
        self._start("restart")

    def action_undo(self) -> None:
        entry = self.selected_entry
        if entry is None:
            return
        revision = getattr(self._detail_pane(), "selected_revision", None)
        revision = revision() if callable(revision) else revision
        if isinstance(revision, int) and revision > 0:
            self._start("undo", revision=revision)
            return

        def answered(value: str | None) -> None:
            if value is None:
                return
            if not value.isdigit():
                self.notify("a revision is a number (0 = the previous one)", severity="warning", markup=False)
                return
            self._start("undo", revision=int(value) or None)

        self.push_screen(
            PromptScreen("Undo: roll back to which revision? (0 = the previous one)", "0"), answered
        )

    def action_set_image(self) -> None:
        entry = self.selected_entry
        if entry is None:
            return
        images = [str(i) for i in (getattr(entry.summary, "images", None) or ())]
        current = clean(images[0], 200) if images else ""

        def answered(value: str | None) -> None:
            if not value:
                return
            container, _, image = value.rpartition("=") if "=" in value.split(":")[0] else ("*", "", value)
            self._start("set_image", image=image.strip(), container=container.strip() or "*")

        self.push_screen(
            PromptScreen("Set image: [container=]image (no container: all containers)", current), answered
        )

    # ---- view actions ----------------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.filter_query = event.value
            self._apply_changes(Changes(states_changed=True), alerts=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            if not event.value:
                event.input.display = False
            self.query_one(OverviewTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value or box.display:
            box.value = ""
            box.display = False
            self.filter_query = ""
            self.query_one(OverviewTable).focus()
            self._apply_changes(Changes(states_changed=True), alerts=False)

    def action_quick_filter(self) -> None:
        self.quick = QUICK_FILTERS[(QUICK_FILTERS.index(self.quick) + 1) % len(QUICK_FILTERS)]
        self._apply_changes(Changes(states_changed=True), alerts=False)

    def action_attention(self) -> None:
        self.quick = "all" if self.quick == ATTENTION else ATTENTION
        self._apply_changes(Changes(states_changed=True), alerts=False)

    def action_sort(self) -> None:
        order = [s for s in SORT_ORDER if s != "context" or len(self.contexts) > 1]
        self.sort_key = (
            order[(order.index(self.sort_key) + 1) % len(order)] if self.sort_key in order else order[0]
        )
        self._apply_changes(Changes(states_changed=True), alerts=False)

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._apply_changes(Changes(states_changed=True), alerts=False)

    def namespaces_seen(self) -> list[str]:
        return sorted({str(e.summary.namespace) for e in self.bridge.entries.values()})

    def set_namespace(self, namespace: str) -> None:
        self.namespace = namespace
        self._apply_changes(Changes(states_changed=True), alerts=False)

    def set_context(self, context: str) -> None:
        self.context = context
        self._apply_changes(Changes(states_changed=True), alerts=False)

    def action_pick_namespace(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_namespace(value)

        self.push_screen(
            PickerScreen("Namespace", "all namespaces", self.namespaces_seen(), self.namespace), chosen
        )

    def action_pick_context(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_context(value)

        self.push_screen(PickerScreen("Context", "all contexts", self.contexts, self.context), chosen)

    def action_open_detail(self) -> None:
        entry = self.selected_entry
        if entry is None:
            return
        if self.screen.has_class("-wide"):
            self.query_one("#detail").focus()
            return
        from .screens.detail import DetailScreen

        self.push_screen(DetailScreen(detail_pane_class(), ascii_only=self.glyphs.ascii))

    def detail_screen_closed(self) -> None:
        if not self.screen.has_class("-wide"):
            self.feed.close()

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(
                read_only=self.read_only or self._actions(self.contexts[0]) is None if self.contexts else True
            )
        )

    def on_unmount(self) -> None:
        self.feed.close()
