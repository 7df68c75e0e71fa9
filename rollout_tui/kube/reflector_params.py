"""What a reflector is given: its tuning (`ReflectorParams`), what it watches (`Scope`), and
where its data goes (`ReflectorSink`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rollout_tui.kube.state import ConnectionState

if TYPE_CHECKING:
    from rollout_tui.kube.reflector import Reflector


@dataclass(frozen=True)
class ReflectorParams:
    page_size: int = 500
    watch_timeout: int = 300  # server closes the watch after this; we rewatch from our RV
    connect_timeout: float = 10.0  # TLS handshake included (client-go: 10 s handshake timeout)
    read_timeout: float = 90.0  # the socket's last resort: silence is caught sooner (liveness)
    list_timeout: float = 60.0
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    slow_retry: float = 60.0  # after 403/404/400: the answer will not change quickly
    probe_interval: float = 0.5  # while failing: how often to ask whether the API serves again
    silence_probe: float = 5.0  # a watch silent this long: probe the API
    # The server's bookmark interval at most (kube-apiserver: ~60 s); a shorter one is learned
    # from the stream. Silent for 1.5 times that: the stream is dead even if the server answers.
    bookmark_interval: float = 60.0


@dataclass(frozen=True)
class Scope:
    namespace: str | None = None  # None: all namespaces
    label_selector: str = ""
    field_selector: str = ""

    def describe(self) -> str:
        parts = [f"ns={self.namespace or '*'}"]
        if self.label_selector:
            parts.append(f"labels={self.label_selector}")
        if self.field_selector:
            parts.append(f"fields={self.field_selector}")
        return " ".join(parts)


class ReflectorSink(Protocol):
    def page(self, reflector: Reflector, items: list[dict[str, Any]]) -> None: ...
    def listed(self, reflector: Reflector, seen: set[tuple[str, str]]) -> None: ...
    def upsert(self, reflector: Reflector, obj: dict[str, Any]) -> None: ...
    def delete(self, reflector: Reflector, obj: dict[str, Any]) -> None: ...
    def state(self, reflector: Reflector, state: ConnectionState) -> None: ...
