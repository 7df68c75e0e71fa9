"""``list rollouts -w``: the plugin's watch output (PrintRolloutUpdates in
pkg/kubectl-argo-rollouts/cmd/list/list_rollouts.go). The table first, then one row each time a
rollout's row changes (identical rows are not repeated), rows of the same half second aligned
together. The watch is a list+watch reflector, so dropped connections, API server restarts and
410 Gone are survived; connection trouble is reported on stderr, once per change. ``-o json|yaml``
prints events instead of rows (commands/list_events.py)."""

from __future__ import annotations

import argparse
import queue
import sys
import time
from typing import Any

from rollout_tui.commands._live import cluster_errors, connect

FLUSH_INTERVAL = 0.5  # the plugin flushes its update tabwriter every 500 ms


class _Events:
    """A ReflectorSink that hands every change to the command's thread."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, Any]] = queue.Queue()

    def page(self, reflector: Any, items: list[dict]) -> None:
        self.queue.put(("replace", items))

    def listed(self, reflector: Any, seen: set[tuple[str, str]]) -> None:
        pass  # the plugin prints no row for a rollout that is gone

    def upsert(self, reflector: Any, obj: dict) -> None:
        self.queue.put(("upsert", obj))

    def delete(self, reflector: Any, obj: dict) -> None:
        self.queue.put(("delete", obj))

    def state(self, reflector: Any, state: Any) -> None:
        self.queue.put(("state", state))


def _key(obj: dict) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


class RowPrinter:
    """Rows that changed since they were last printed, flushed in aligned batches."""

    def __init__(self, args: argparse.Namespace, out: Any) -> None:
        from rollout_tui.commands.terminal import clock_for

        self.args, self.out, self.clock = args, out, clock_for(args)
        self.all_namespaces = bool(args.all_namespaces)
        self.previous: dict[tuple[str, str], str] = {}
        self.pending: list[str] = []

    def row(self, obj: dict) -> str:
        from rollout_tui.model.state import rollout_state
        from rollout_tui.render.list import rollout_row

        return rollout_row(rollout_state(obj), self.all_namespaces)

    def table(self, items: list[dict]) -> None:
        from rollout_tui.model.state import rollout_state
        from rollout_tui.render.list import HEADER, render_rollouts
        from rollout_tui.render.tabwriter import tabwrite

        items = sorted(items, key=_key)
        for obj in items:
            self.previous[_key(obj)] = self.row(obj)
        states = [rollout_state(obj) for obj in items]
        text = render_rollouts(states, self.all_namespaces, self._timestamp())
        if not text:  # watching an empty namespace: the header alone, as the plugin prints it
            header = ("TIMESTAMP\t" if self.args.timestamps else "") + (
                "NAMESPACE\t" if self.all_namespaces else ""
            )
            text = tabwrite(header + HEADER)
        self.out.write(text)
        self.out.flush()

    def replace(self, items: list[dict]) -> None:
        for obj in sorted(items, key=_key):
            self.changed(obj)

    def deleted(self, obj: dict) -> None:
        self.changed(obj)  # the plugin prints a deleted rollout's row once more, like any update

    def changed(self, obj: dict) -> None:
        row = self.row(obj)
        if self.previous.get(_key(obj)) != row:
            self.previous[_key(obj)] = row
            stamp = self._timestamp()
            self.pending.append(f"{stamp:<20}\t{row}" if stamp is not None else row)

    def flush(self) -> None:
        from rollout_tui.render.list import render_rollout_updates

        if self.pending:
            self.out.write(render_rollout_updates(self.pending))
            self.out.flush()
            self.pending = []

    def _timestamp(self) -> str | None:
        return self.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ") if self.args.timestamps else None


def watch_rollouts(args: argparse.Namespace, max_seconds: float | None = None) -> int:
    from rollout_tui.kube import live
    from rollout_tui.kube.reflector import Reflector, Scope
    from rollout_tui.kube.resources import ROLLOUT, ResourceClient

    with cluster_errors():
        context, namespace = connect(args, read_only=True)
        scope_namespace = None if args.all_namespaces else namespace
        fields = f"metadata.name={args.name}" if args.name else ""
        initial = live.list_objects(context, ROLLOUT, scope_namespace)
    printer = _printer(args, context.name)
    printer.table([o for o in initial if not args.name or _key(o)[1] == args.name])
    events = _Events()
    client = ResourceClient(context.api_client, ROLLOUT)
    scope = Scope(scope_namespace, field_selector=fields)
    reflector = Reflector("list-watch", client, scope, events, reload_credentials=context.reload_credentials)
    reflector.start()
    try:
        _loop(events, printer, None if max_seconds is None else time.monotonic() + max_seconds)
    except KeyboardInterrupt:
        printer.flush()
        return 0
    finally:
        reflector.stop()
    printer.flush()
    return 0


def _printer(args: argparse.Namespace, context: str) -> Any:
    if getattr(args, "output", None):
        from rollout_tui.commands.list_events import EventPrinter

        return EventPrinter(args, sys.stdout, context)
    return RowPrinter(args, sys.stdout)


def _loop(events: _Events, printer: Any, deadline: float | None) -> None:
    next_flush = time.monotonic() + FLUSH_INTERVAL
    last_state = ""
    while deadline is None or time.monotonic() < deadline:
        try:
            kind, payload = events.queue.get(timeout=max(0.01, next_flush - time.monotonic()))
        except queue.Empty:
            kind, payload = "", None
        if kind == "replace":
            printer.replace(payload)
        elif kind == "upsert":
            printer.changed(payload)
        elif kind == "delete":
            printer.deleted(payload)
        elif kind == "state" and payload.describe() != last_state:
            last_state = payload.describe()
            if not payload.ok and payload.phase.value != "syncing":
                print(f"warning: {last_state}", file=sys.stderr, flush=True)
        if time.monotonic() >= next_flush:
            printer.flush()
            next_flush = time.monotonic() + FLUSH_INTERVAL
