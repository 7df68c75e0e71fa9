"""`l`: container logs of a pod, or of every pod of a ReplicaSet or revision merged by time (each
line prefixed by its pod), or stable and canary side by side on a wide terminal.

Streams are kube.logs readers on daemon threads; a timer takes their lines in batches (never
blocking the UI), panes keep at most MAX_LINES (a ring: the oldest go first), and every stream
is closed when the screen goes. Keys: f follow on/off, p the previous (crashed) container,
c pick a container, t how many lines to start from, s timestamps, / search.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from rollout_tui.kube.logs import LogLine, LogMux, LogRequest, LogStream
from rollout_tui.model.pods import PodInfo
from rollout_tui.ui.safe import clean
from rollout_tui.ui.screens.picker import PickerScreen
from rollout_tui.ui.screens.prompt import PromptScreen
from rollout_tui.ui.screens.text_screen import TextScreen
from rollout_tui.ui.textlines import TextLines

MAX_LINES = 10_000  # per pane
DRAIN_SECONDS = 0.2
POD_STYLES = ("cyan", "magenta", "blue", "green", "yellow", "bright_cyan", "bright_magenta", "bright_blue")


@dataclass(frozen=True, slots=True)
class LogTarget:
    title: str  # "pod cart-7f9-x2", "ReplicaSet cart-7f9 (canary)"
    namespace: str
    pods: tuple[PodInfo, ...]


@dataclass(frozen=True, slots=True)
class LogOptions:
    container: str = ""  # "" = the default container of each pod ("*" = every container)
    follow: bool = True
    tail: int = 200
    previous: bool = False
    timestamps: bool = False

    def describe(self) -> str:
        parts = [
            "following" if self.follow and not self.previous else "not following",
            f"last {self.tail} lines",
            "previous container" if self.previous else "",
            f"container {self.container}"
            if self.container not in ("", "*")
            else "all containers"
            if self.container == "*"
            else "",
            "timestamps" if self.timestamps else "",
        ]
        return " · ".join(p for p in parts if p)


def _requests(target: LogTarget, options: LogOptions) -> list[LogRequest]:
    out = []
    for pod in target.pods:
        names = pod.container_names
        wanted = (
            names
            if options.container == "*"
            else [options.container]
            if options.container in names
            else names[:1]
        )
        for container in wanted:
            out.append(
                LogRequest(
                    target.namespace,
                    pod.name,
                    container,
                    follow=options.follow and not options.previous,
                    tail=options.tail,
                    previous=options.previous,
                )
            )
    return out


def _prefixes(pods: tuple[PodInfo, ...]) -> dict[str, str]:
    """The part of each pod name that tells them apart (the suffix, when they share the rest)."""
    names = [p.name for p in pods]
    stems = {name.rsplit("-", 1)[0] for name in names}
    return {name: (name.rsplit("-", 1)[-1] if len(stems) == 1 else name) for name in names}


class LogPane(TextLines[LogLine]):
    def __init__(self, target: LogTarget, **kwargs: Any) -> None:
        self.target = target
        self.options = LogOptions()
        self.mux: LogMux | None = None
        self._prefix = _prefixes(target.pods)
        self._styles = {p.name: POD_STYLES[i % len(POD_STYLES)] for i, p in enumerate(target.pods)}
        super().__init__(self._line, plain=lambda line: line.text, max_lines=MAX_LINES, **kwargs)

    def _line(self, line: LogLine) -> Text:
        text = Text()
        if self.options.timestamps and line.time:
            text.append(clean(line.time, 40) + " ", style="dim")
        if len(self.target.pods) > 1:
            text.append(
                clean(self._prefix.get(line.pod, line.pod), 80) + " ", style=self._styles.get(line.pod, "")
            )
        if self.options.container == "*":
            text.append(clean(line.container, 60) + " ", style="dim")
        upper = line.text[:80].upper()
        style = (
            "red"
            if ("ERROR" in upper or line.text.startswith(("panic:", "goroutine ")))
            else "yellow"
            if "WARN" in upper
            else ""
        )
        text.append(line.text, style=style)
        return text

    def open(self, api_client: Any, options: LogOptions) -> None:
        self.close_streams()
        self.options = options
        self.set_items(())
        self.mux = LogMux(LogStream(api_client, r) for r in _requests(self.target, options)).start()

    def pump(self) -> None:
        if self.mux is not None:
            self.append(self.mux.drain())

    def close_streams(self) -> None:
        if self.mux is not None:
            self.mux.close()
            self.mux = None


class LogsScreen(TextScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "toggle_follow", "Follow"),
        Binding("p", "toggle_previous", "Previous"),
        Binding("c", "pick_container", "Container"),
        Binding("t", "set_tail", "Tail"),
        Binding("s", "toggle_timestamps", "Times"),
    ]

    def __init__(
        self, api_client: Any, targets: list[LogTarget], heading: str, options: LogOptions | None = None
    ) -> None:
        self.api_client = api_client
        self.log_panes = [LogPane(t, id=f"logs-{i}") for i, t in enumerate(targets)]
        title = Text.assemble(("Logs  ", "bold"), clean(heading, 300))
        super().__init__(
            title,
            [(Text(clean(t.title, 200)), pane) for t, pane in zip(targets, self.log_panes, strict=True)],
        )
        self.options = options or LogOptions()

    def on_mount(self) -> None:
        super().on_mount()
        self._open(self.options)
        self.set_interval(DRAIN_SECONDS, self._pump, name="log-drain")

    def _open(self, options: LogOptions) -> None:
        self.options = options
        for pane in self.log_panes:
            pane.open(self.api_client, options)
        self._show_state()

    def _pump(self) -> None:
        for pane in self.log_panes:
            pane.pump()
        self._show_state()

    def _show_state(self) -> None:
        states = [pane.mux.state for pane in self.log_panes if pane.mux is not None]
        dropped = sum(pane.mux.dropped for pane in self.log_panes if pane.mux is not None)
        state = " | ".join(dict.fromkeys(clean(s, 200) for s in states))
        lines = " | ".join(str(len(p.items)) for p in self.log_panes)
        extra = f" · {dropped} lines dropped" if dropped else ""
        self.status(f"{state} · {self.options.describe()} · {lines} lines{extra}")

    def on_unmount(self) -> None:
        for pane in self.log_panes:
            pane.close_streams()

    # -- keys ---------------------------------------------------------------------------------
    def action_toggle_follow(self) -> None:
        self._open(replace(self.options, follow=not self.options.follow, previous=False))

    def action_toggle_previous(self) -> None:
        self._open(replace(self.options, previous=not self.options.previous))

    def action_toggle_timestamps(self) -> None:
        self.options = replace(self.options, timestamps=not self.options.timestamps)
        for pane in self.log_panes:
            pane.options = self.options
            pane.reformat()
        self._show_state()

    def action_pick_container(self) -> None:
        names = list(
            dict.fromkeys(n for pane in self.log_panes for p in pane.target.pods for n in p.container_names)
        )

        def chosen(value: str | None) -> None:
            if value is not None:
                self._open(replace(self.options, container=value or "*"))

        current = "" if self.options.container == "*" else self.options.container
        self.app.push_screen(PickerScreen("Container", "all containers", names, current), chosen)

    def action_set_tail(self) -> None:
        def answered(value: str | None) -> None:
            if value and value.isdigit():
                self._open(replace(self.options, tail=int(value)))

        self.app.push_screen(
            PromptScreen("Start from how many lines back? (tailLines)", str(self.options.tail)), answered
        )
