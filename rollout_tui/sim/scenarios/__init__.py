"""Scenarios: named or file-based fleets the simulator starts with.

`load_scenario(name_or_path, store, clock, **params)`:

- `"demo"` (packaged demo.yaml): several namespaces of canary and blue-green rollouts kept in
  motion by a driver; `cluster="east"|"west"` (or the name `"demo:west"`) selects that cluster's
  fleet; without one, successive loads in a process alternate east, west.
- `"scale"`: N rollouts over M namespaces in steady state (`rollouts=10000, namespaces=200`),
  with optional `churn` (changes per second of simulated time) from a background thread.
  `"scale:2000:50:5"` is the same with rollouts=2000, namespaces=50, churn=5.
- a path to a YAML file in the scenario format (see fleet.py), or with `generator: scale` and
  the scale parameters.

The returned Scenario has `stop()` (the facade calls it), `poll()` for manual clocks, and `info`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rollout_tui.sim.scenarios.driver import Driver, Program, program_from
from rollout_tui.sim.scenarios.fleet import in_cluster, rollout_manifests

PACKAGED = Path(__file__).resolve().parent


class ScenarioError(Exception):
    """The scenario is unknown or its file is malformed (the message says which)."""


@dataclass
class Scenario:
    name: str
    cluster: str | None
    objects: int = 0
    driver: Driver | None = None
    background: Any = None  # e.g. the scale churn thread
    info: dict[str, Any] = field(default_factory=dict)
    # How the simulated controller runs for it (keyword arguments of Controller), from the file's
    # `controller:` block: awsVerifyTargetGroup.
    controller_options: dict[str, Any] = field(default_factory=dict)

    def poll(self) -> None:
        self._each("poll")

    def stop(self) -> None:
        self._each("stop")

    def _each(self, method: str) -> None:
        """Call ``method`` on the driver, then on the background part where it has one."""
        for part in (self.driver, self.background):
            call = getattr(part, method, None)
            if callable(call):
                call()


def available() -> list[str]:
    return sorted(p.stem for p in PACKAGED.glob("*.yaml"))


def load_scenario(name_or_path: str | Path, store: Any, clock: Any, **params: Any) -> Scenario:
    text = str(name_or_path)
    path = Path(text)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        spec = _read(path)
        name = str(spec.get("name") or path.stem)
    else:
        base, _, rest = text.partition(":")
        if base == "scale" and not (PACKAGED / "scale.yaml").is_file():
            spec = {"generator": "scale"}
        elif (PACKAGED / f"{base}.yaml").is_file():
            spec = _read(PACKAGED / f"{base}.yaml")
        else:
            raise ScenarioError(
                f"unknown scenario {text!r} (packaged: {', '.join(available())}; or a YAML file)"
            )
        name = base
        if rest:
            params = {**_positional(spec, rest), **params}
    if spec.get("generator") == "scale":
        from rollout_tui.sim.scenarios.scale import start_scale

        settings = {**(spec.get("params") or {}), **params}
        return start_scale(store, clock, name=name, **settings)
    cluster = params.get("cluster")
    if cluster is None and spec.get("clusters"):
        cluster = _next_cluster(name, [str(c) for c in spec["clusters"]])
    return _load_fleet(spec, name, store, clock, cluster)


_cluster_turns: dict[str, int] = {}


def _next_cluster(name: str, clusters: list[str]) -> str:
    """Without an explicit cluster, successive loads in one process take the scenario's clusters in
    turn, so `--demo` starting two simulators gets two different fleets (east, then west)."""
    turn = _cluster_turns.get(name, 0)
    _cluster_turns[name] = turn + 1
    return clusters[turn % len(clusters)]


def _positional(spec: dict[str, Any], rest: str) -> dict[str, Any]:
    parts = rest.split(":")
    if spec.get("generator") == "scale":
        keys = ("rollouts", "namespaces", "churn")
        out: dict[str, Any] = {}
        for key, value in zip(keys, parts, strict=False):
            try:
                out[key] = float(value) if key == "churn" else int(value)
            except ValueError:
                raise ScenarioError(f"scale parameter {key}={value!r} is not a number") from None
        return out
    return {"cluster": parts[0]}


def _read(path: Path) -> dict[str, Any]:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(spec, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping (name, namespaces, rollouts, ...)")
    return spec


def _load_fleet(spec: dict[str, Any], name: str, store: Any, clock: Any, cluster: str | None) -> Scenario:
    objects: list[dict[str, Any]] = []
    for namespace in spec.get("namespaces") or []:
        objects.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": str(namespace)}})
    for namespace in spec.get("analysisNamespaces") or []:
        for template in spec.get("analysisTemplates") or []:
            obj = copy.deepcopy(template)
            obj.setdefault("metadata", {})["namespace"] = str(namespace)
            objects.append(obj)
    objects += [copy.deepcopy(m) for m in spec.get("manifests") or [] if isinstance(m, dict)]
    programs: list[Program] = []
    for entry in spec.get("rollouts") or []:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ScenarioError(f"scenario {name}: every rollout entry needs a name")
        if not in_cluster(entry, cluster):
            continue
        objects += rollout_manifests(entry)
        if entry.get("drive"):
            programs.append(
                program_from(
                    str(entry.get("namespace") or "default"),
                    str(entry["name"]),
                    str(entry.get("image", "argoproj/rollouts-demo:blue")),
                    entry["drive"],
                )
            )
    count = 0
    for obj in objects:
        plural = _plural(obj.get("kind", ""))
        try:
            store.create(plural, obj)
            count += 1
        except Exception as exc:
            if getattr(exc, "code", None) != 409:  # namespaces may exist already ("default")
                raise ScenarioError(
                    f"scenario {name}: cannot create {obj.get('kind')} "
                    f"{obj.get('metadata', {}).get('name')}: {exc}"
                ) from None
    driver = Driver(store, clock, programs) if programs else None
    if driver is not None:
        driver.start()
    return Scenario(
        name=name,
        cluster=cluster,
        objects=count,
        driver=driver,
        info={"rollouts": sum(1 for o in objects if o.get("kind") == "Rollout")},
        controller_options=_controller_options(name, spec.get("controller")),
    )


_CONTROLLER_FLAGS = {"awsVerifyTargetGroup": "aws_verify_target_group"}


def _controller_options(name: str, block: Any) -> dict[str, Any]:
    if block is None:
        return {}
    if not isinstance(block, dict) or set(block) - set(_CONTROLLER_FLAGS):
        raise ScenarioError(f"scenario {name}: controller takes {', '.join(_CONTROLLER_FLAGS)}")
    return {_CONTROLLER_FLAGS[k]: bool(v) for k, v in block.items()}


def _plural(kind: str) -> str:
    from rollout_tui.sim.resources import by_kind

    try:
        return by_kind(kind).plural
    except KeyError:
        raise ScenarioError(f"the simulator does not serve kind {kind!r}") from None


__all__ = ["Scenario", "ScenarioError", "available", "load_scenario"]
