"""``status ROLLOUT_NAME [--watch[=false]] [--timeout D]``: the plugin's status command, for CI.

Prints ``Healthy``/``Degraded`` or ``<Status> - <Message>`` each time it changes and waits (watch,
default) until Healthy (exit 0) or Degraded / timeout (exit 1, with the plugin's messages). The
rollout is followed by a list+watch reflector scoped to its name, so a dropped connection or an
API server restart does not end the wait. ``-o json|yaml`` prints a ``RolloutStatus`` document
(render.json_view) instead of each line: JSON lines while watching.
"""

from __future__ import annotations

import argparse
import queue
import sys
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from rollout_tui.commands import CommandError
from rollout_tui.commands._command import Command, Flag
from rollout_tui.commands._live import cluster_errors, connect, parse_bool, parse_duration_arg
from rollout_tui.commands.terminal import OUTPUT_FORMATS

if TYPE_CHECKING:
    from rollout_tui.kube.config import ClusterContext


def _line(status: str, message: str) -> str:
    return f"{status} - {message}" if message else status


class _Report:
    """What ``status`` prints each time the status changes: the plugin's line, or the document."""

    def __init__(self, output: str | None, context: str, watch: bool) -> None:
        self.output, self.context, self.watch = output, context, watch
        self.previous = ""

    def show(self, rollout: Any, status: str, message: str, final_form: bool = False) -> None:
        text = _line(status, message)
        if final_form:  # --watch=false: the bare word for the final states, else always " - "
            text = status if status in ("Healthy", "Degraded") else f"{status} - {message}"
        if text == self.previous:
            return
        self.previous = text
        if self.output:
            text = self._document(rollout, status, message)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()

    def _document(self, rollout: Any, status: str, message: str) -> str:
        from rollout_tui.model.attention import attention
        from rollout_tui.model.clock import SystemClock
        from rollout_tui.model.state import rollout_state
        from rollout_tui.render.json_view import encode, encode_line, rollout_status, rollout_summary

        state = rollout_state(rollout)
        summary = rollout_summary(state, attention(state, SystemClock().now()), self.context)
        view = rollout_status(status, message, summary)
        return encode_line(view) if self.watch and self.output == "json" else encode(view, str(self.output))


def run(args: argparse.Namespace) -> int:
    if args.filename:
        raise CommandError("status works on a cluster, not on files (-f)")
    from rollout_tui.kube.live import get_object
    from rollout_tui.kube.resources import ROLLOUT
    from rollout_tui.model.status import rollout_status

    with cluster_errors():
        context, namespace = connect(args, read_only=True)
        rollout = get_object(context, ROLLOUT, namespace, args.name)
        status, message = rollout_status(rollout)
        report = _Report(args.output, context.name, bool(args.watch))
        if not args.watch:
            report.show(rollout, status, message, final_form=True)
        else:
            status, message = _watch(context, namespace, args.name, rollout, args.timeout, report)
    if status == "Degraded":
        raise CommandError(f"The rollout is in a degraded state with message: {message}")
    if status != "Healthy" and args.watch:
        raise CommandError("Rollout status watch exceeded timeout")
    return 0


def _watch(
    context: ClusterContext,
    namespace: str,
    name: str,
    rollout: dict,
    timeout: timedelta | None,
    report: _Report,
) -> tuple[str, str]:
    from rollout_tui.kube.fleet import Fleet
    from rollout_tui.kube.reflector import Scope
    from rollout_tui.kube.resources import ROLLOUT
    from rollout_tui.model.status import rollout_status

    deadline = time.monotonic() + timeout.total_seconds() if timeout else None
    status, message = rollout_status(rollout)
    report.show(rollout, status, message)
    if status in ("Healthy", "Degraded"):
        return status, message
    fleet = Fleet([context], namespaces=[namespace], read_only=True, overview=False)
    fleet.start()
    try:
        fleet.hub(context.name).add(ROLLOUT, Scope(namespace, field_selector=f"metadata.name={name}"))
        while True:
            wait = 1.0 if deadline is None else min(1.0, deadline - time.monotonic())
            if wait <= 0:
                return status, message
            try:
                fleet.batches.get(timeout=wait)
            except queue.Empty:
                continue
            current = fleet.rollout(context.name, namespace, name)
            if current is None:
                continue  # deleted, or not listed yet: keep waiting like the plugin
            status, message = rollout_status(current)
            report.show(current, status, message)
            if status in ("Healthy", "Degraded"):
                return status, message
    finally:
        fleet.stop()


COMMAND = Command(
    "status",
    help="show the status of a rollout (waits until done)",
    description="Watch rollout until it finishes or the timeout is exceeded. "
    "Returns success if the rollout is healthy upon completion "
    "and an error otherwise.",
    flags=(
        Flag("name", metavar="ROLLOUT_NAME"),
        Flag(
            "-w",
            "--watch",
            nargs="?",
            const=True,
            default=True,
            type=parse_bool,
            help="watch the status of the rollout until it's done (default true)",
        ),
        Flag(
            "-t",
            "--timeout",
            type=parse_duration_arg,
            default=None,
            help="how long to watch before giving up (e.g. 60s, 2m); 0 = forever",
        ),
        Flag(
            "-o",
            "--output",
            choices=OUTPUT_FORMATS,
            default=None,
            help="a RolloutStatus document per change instead of the status line (JSON lines with -w)",
        ),
    ),
    run=run,
)
