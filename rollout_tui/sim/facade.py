"""``Simulator``: store + API server + (optional) controller behind one object."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import yaml

from rollout_tui.sim import tls as tls_certs
from rollout_tui.sim.auth import User, Users
from rollout_tui.sim.clock import SimClock
from rollout_tui.sim.controller import Controller
from rollout_tui.sim.faults import Faults
from rollout_tui.sim.openapi import OpenApi
from rollout_tui.sim.server import ApiServer
from rollout_tui.sim.service import Service
from rollout_tui.sim.store import Store

if TYPE_CHECKING:
    from rollout_tui.sim.scenarios import Scenario


class Simulator(Service):
    """A Kubernetes API server on 127.0.0.1 for tests and the demo.

    ``scenario`` names a packaged scenario or a YAML file; ``load`` lists manifest files or
    directories to seed; ``controller=False`` serves the objects frozen; ``crds`` is the directory of
    Argo Rollouts CRD manifests whose schemas /openapi/v3 serves (see ``sim.openapi``).
    """

    def __init__(
        self,
        port: int = 0,
        scenario: str | None = None,
        load: Iterable[str | Path] = (),
        controller: bool = True,
        speed: float = 1.0,
        clock: Any = None,
        token: str | None = None,
        host: str = "127.0.0.1",
        tls: bool = True,
        crds: str | Path | None = None,
    ) -> None:
        self.clock = clock if clock is not None else SimClock(speed=speed)
        self.store = Store(clock=self.clock)
        self.users = Users(token)
        self.token = self.users.admin.token
        self.faults = Faults(self.store)
        # kubectl sends bearer tokens only over TLS, hence HTTPS with a per-process CA by default.
        self.certificates = tls_certs.generate((host, "localhost")) if tls else None
        self._server = ApiServer(
            self.store,
            self.users,
            self.faults,
            host,
            port,
            OpenApi(Path(crds) if crds else None).serve,
            self.certificates.server_context() if self.certificates else None,
        )
        self.faults.restart_with(self._server.restart)
        self._scenario = scenario
        self._load = tuple(load)
        self._want_controller = controller
        self.controller: Controller | None = None
        self.scenario: Scenario | None = None
        self._started = False
        self.warnings: list[str] = []  # manifests skipped while seeding

    # --- lifecycle ------------------------------------------------------------
    def start(self) -> Self:
        if self._started:
            return self
        self._server.start()  # first: a busy port fails before seconds of seeding
        try:
            if self._load:
                from rollout_tui.sim.loader import seed

                seed(self.store, self._load, self.warnings)
            if self._scenario:
                from rollout_tui.sim.scenarios import load_scenario

                self.scenario = load_scenario(self._scenario, self.store, self.clock)
            if self._want_controller:
                options = self.scenario.controller_options if self.scenario is not None else {}
                self.controller = Controller(self.store, self.clock, **options)
                self.controller.start()
        except BaseException:
            self.stop()  # no server or scenario thread left behind
            raise
        self._started = True
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
        if self.scenario is not None:
            self.scenario.stop()
        self._server.stop()
        for watch in self.store.watches():
            watch.close()
        self._started = False

    # --- access ---------------------------------------------------------------
    @property
    def url(self) -> str:
        return self._server.url

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def bookmark_interval(self) -> float:
        return self._server.bookmark_interval

    @bookmark_interval.setter
    def bookmark_interval(self, seconds: float) -> None:
        self._server.bookmark_interval = seconds

    def add_user(
        self,
        name: str,
        token: str,
        read_only_namespaces: Iterable[str] | None = None,
        namespaces: Iterable[str] | None = None,
        may_impersonate: bool = False,
    ) -> User:
        """A user authenticated by ``token``: ``read_only_namespaces`` ("*" for all) refuses its
        writes there with 403; ``namespaces`` limits what it may see at all; ``may_impersonate``
        lets it act as another user (kubectl --as), as the administrator may."""
        return self.users.add(
            User(
                name,
                token,
                None if read_only_namespaces is None else frozenset(read_only_namespaces),
                None if namespaces is None else frozenset(namespaces),
                may_impersonate,
            )
        )

    @property
    def impersonations(self) -> list[Any]:
        """Requests received with impersonation headers (``sim.auth.ImpersonationRecord``), oldest first."""
        return list(self.users.impersonations)

    def cluster_config(self) -> dict[str, Any]:
        """The kubeconfig ``cluster`` entry for this server (with the CA when serving TLS)."""
        cluster: dict[str, Any] = {"server": self.url}
        if self.certificates is not None:
            cluster["certificate-authority-data"] = base64.b64encode(self.certificates.ca_pem).decode()
        return cluster

    def revoke_token(self, token: str) -> bool:
        """Reject ``token`` from now on (an expired or rotated credential)."""
        return self.users.revoke(token)

    def write_kubeconfig(
        self, path: str | Path, context: str = "sim", user: str | None = None, namespace: str = "default"
    ) -> Path:
        """Write a kubeconfig with one cluster/user/context for this server (mode 0600)."""
        account = self.users.admin if user is None else self.users.by_name(user)
        if account is None:
            raise ValueError(f"no simulator user named {user!r}")
        user_name = f"{context}-{account.name}"
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "preferences": {},
            "clusters": [{"name": context, "cluster": self.cluster_config()}],
            "users": [{"name": user_name, "user": {"token": account.token}}],
            "contexts": [
                {"name": context, "context": {"cluster": context, "user": user_name, "namespace": namespace}}
            ],
            "current-context": context,
        }
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yaml.safe_dump(config, fh, sort_keys=False)
        return target
