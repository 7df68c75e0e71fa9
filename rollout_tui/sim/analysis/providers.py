"""Simulated metric providers: what Prometheus, Datadog, a web hook or a Job would have answered.

Each measurement is deterministic (seeded from run name, metric name and measurement index), so
a scenario replays identically. The *mode* says how the analysis should go; it comes from the
annotation `sim.rollout-tui.dev/analysis` (copied onto the AnalysisRun from its rollout,
experiment or template), or for one metric `sim.rollout-tui.dev/analysis.<metric name>`:

- ``pass`` (default): values wander on the good side of the thresholds (random walk/sine + noise);
- ``fail``: a degrading metric: the first measurement passes, then the value crosses the threshold
  (a Job metric, having no value, fails every time);
- ``inconclusive``: values between success and failure conditions (when both exist);
- ``random``: each measurement fails with probability 1/2 (like the examples' random-fail job);
- ``error``: the provider is unreachable (measurement phase Error).

Values are produced as a number series (a success rate near 1, or a latency-like value below an
upper bound) and then placed where the condition reads them (`result`, `result[0]`,
`result.Status`...). The real evaluator decides the measurement's phase; if the natural value
does not give the phase the mode asks for, the nearest candidate value that does is used, so any
template's thresholds work without per-template tuning.
"""

from __future__ import annotations

import contextlib
import json
import math
import random
from dataclasses import dataclass
from typing import Any

from rollout_tui.sim.analysis.evaluator import evaluate
from rollout_tui.sim.analysis.expression import EvaluationError, literals, parse, result_paths, walk

MODE_ANNOTATION = "sim.rollout-tui.dev/analysis"
MODES = ("pass", "fail", "inconclusive", "random", "error")

_NUMERIC_PROVIDERS = (
    "prometheus",
    "datadog",
    "newRelic",
    "cloudWatch",
    "graphite",
    "influxdb",
    "wavefront",
    "kayenta",
    "skywalking",
)


@dataclass(frozen=True)
class Measurement:
    phase: str
    value: str | None = None
    message: str | None = None
    metadata: dict[str, str] | None = None


def provider_name(metric: dict[str, Any]) -> str:
    provider = metric.get("provider")
    if isinstance(provider, dict) and provider:
        return next(iter(provider))
    return "prometheus"


def assess(metric: dict[str, Any], result: Any) -> tuple[str, str | None]:
    """Measurement phase from success/failure conditions, exactly as argo's EvaluateResult."""
    success_cond = metric.get("successCondition") or ""
    failure_cond = metric.get("failureCondition") or ""
    success = failure = False
    try:
        if success_cond:
            success = evaluate(str(success_cond), result)
        if failure_cond:
            failure = evaluate(str(failure_cond), result)
    except EvaluationError as exc:
        kind, expression = (
            ("successCondition", success_cond) if success_cond else ("failureCondition", failure_cond)
        )
        return "Error", f'could not evaluate {kind} "{expression}": {exc}'
    if not success_cond and not failure_cond:
        return "Successful", None
    if success_cond and not failure_cond:
        failure = not success
    elif failure_cond and not success_cond:
        success = not failure
    if failure:
        return "Failed", None
    if not success:
        return "Inconclusive", None
    return "Successful", None


def measure(run_name: str, metric: dict[str, Any], index: int, mode: str, job_name: str = "") -> Measurement:
    """The `index`-th (0-based) measurement of `metric` in run `run_name`."""
    name = str(metric.get("name", ""))
    rng = random.Random(f"{run_name}/{name}/{index}")
    provider = provider_name(metric)
    if mode == "error":
        return Measurement("Error", message=_provider_error(provider, metric))
    desired = _desired_phase(mode, index, rng)
    if provider == "job":
        # A job has no value to chart, so a failing one simply fails every time.
        if mode == "fail":
            desired = "Failed"
        metadata = {"job-name": job_name or f"{name}.{index + 1}"}
        if desired in ("Failed", "Inconclusive"):
            return Measurement(
                "Failed",
                message="Metric assessed Failed due to failed (1) > failureLimit (0)",
                metadata=metadata,
            )
        return Measurement("Successful", metadata=metadata)
    result = _choose_result(metric, run_name, index, mode, desired, rng)
    phase, message = assess(metric, result)
    return Measurement(phase, value=_format_value(provider, result), message=message)


def _desired_phase(mode: str, index: int, rng: random.Random) -> str:
    if mode == "fail":
        return "Successful" if index == 0 else "Failed"
    if mode == "inconclusive":
        return "Inconclusive"
    if mode == "random":
        return "Failed" if rng.random() < 0.5 else "Successful"
    return "Successful"


def _provider_error(provider: str, metric: dict[str, Any]) -> str:
    if provider == "web":
        url = str((metric.get("provider") or {}).get("web", {}).get("url", "http://metrics"))
        return f'Get "{url}": dial tcp: connect: connection refused'
    address = "http://prometheus.monitoring:9090"
    if provider == "prometheus":
        address = str((metric.get("provider") or {}).get("prometheus", {}).get("address", address))
    return f'Post "{address}/api/v1/query": dial tcp: connect: connection refused'


def _conditions(metric: dict[str, Any]) -> list[Any]:
    parsed = []
    for key in ("successCondition", "failureCondition"):
        text = metric.get(key)
        if text:
            with contextlib.suppress(EvaluationError):
                parsed.append(parse(str(text)))
    return parsed


def _choose_result(
    metric: dict[str, Any], run_name: str, index: int, mode: str, desired: str, rng: random.Random
) -> Any:
    trees = _conditions(metric)
    paths: list[tuple[Any, ...]] = []
    numbers: list[float] = []
    others: list[Any] = []
    for tree in trees:
        for path in result_paths(tree):
            if path not in paths:
                paths.append(path)
        for lit in literals(tree):
            if isinstance(lit, bool) or lit is None or isinstance(lit, str):
                if lit not in others:
                    others.append(lit)
            elif _is_number(lit):
                numbers.append(float(lit))
    path = paths[0] if paths else (0,)
    natural = _natural_value(str(metric.get("name", "")), run_name, index, mode, trees, rng)
    # Candidates: scaled copies of the natural value first (keeps the series lively), then values
    # around every threshold the conditions mention.
    candidates: list[Any] = [natural]
    candidates += [natural * (1 + j * 0.25) for j in range(1, 9)] + [
        natural * (1 - j * 0.1) for j in range(1, 10)
    ]
    for threshold in numbers:
        step = max(abs(threshold) * 0.02, 0.001)
        candidates += [
            threshold + step,
            threshold - step,
            threshold,
            threshold + 10 * step,
            threshold - 10 * step,
            threshold * 0.5,
            threshold * 1.5,
        ]
    candidates += [1.0, 0.0, -1.0, 100.0]
    candidates.sort(key=lambda c: abs(c - natural))
    candidates = [_tidy(c) for c in candidates] + others + [True, False]
    results = [_place(path, c) for c in candidates]
    if path == ():
        results += [[c] for c in candidates[:8]]
    if not trees:
        return results[0]
    for result in results:
        if assess(metric, result)[0] == desired:
            return result
    return results[0]


def _natural_value(
    name: str, run_name: str, index: int, mode: str, trees: list[Any], rng: random.Random
) -> float:
    """A lively number: slow sine drift plus noise, degrading over time in `fail` mode."""
    seed = random.Random(f"{run_name}/{name}").random() * 2 * math.pi
    wave = math.sin(index / 2.5 + seed)
    noise = rng.uniform(-1, 1)
    threshold, higher_is_better = _primary_threshold(trees)
    degrade = min(index, 6) / 6 if mode == "fail" else 0.0
    if threshold is None:
        # A success rate near 1 (the most common canary metric).
        value = 0.985 + 0.006 * wave + 0.004 * noise - 0.12 * degrade
        return min(value, 1.0)
    if higher_is_better:
        if 0 < threshold < 1:
            headroom = 1 - threshold
            value = threshold + headroom * (0.6 + 0.2 * wave + 0.1 * noise) - headroom * 1.6 * degrade
            return min(value, 1.0)
        return threshold * (1.25 + 0.1 * wave + 0.05 * noise - 0.5 * degrade)
    # Lower is better: latency or error-rate shaped, under the bound until it degrades.
    return abs(threshold) * (0.6 + 0.12 * wave + 0.06 * noise + 0.8 * degrade)


def _primary_threshold(trees: list[Any]) -> tuple[float | None, bool]:
    """The first `<accessor> <op> N` with N != 0, and whether higher values are the good side."""
    for position, tree in enumerate(trees):
        for node in walk(tree):
            if node.op != "binary" or node.args[0] not in ("<", "<=", ">", ">="):
                continue
            symbol, left, right = node.args
            if right.op == "lit" and _is_number(right.args[0]) and right.args[0] != 0:
                number, greater = right.args[0], symbol in (">", ">=")
            elif left.op == "lit" and _is_number(left.args[0]) and left.args[0] != 0:
                number, greater = left.args[0], symbol in ("<", "<=")
            else:
                continue
            # A failure condition `x < N` means higher is better, the opposite of a success one.
            return float(number), greater if position == 0 else not greater
    return None, True


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _tidy(value: float) -> float | int:
    rounded = float(f"{value:.4g}")
    if rounded == int(rounded) and abs(rounded) >= 1:
        return int(rounded)
    return rounded


def _place(path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    inner = _place(rest, value)
    if isinstance(head, int) and not isinstance(head, bool):
        return [inner] * (max(head, 0) + 1)
    return {str(head): inner}


def _format_value(provider: str, result: Any) -> str:
    if provider == "web":
        return json.dumps(result, separators=(",", ":"))
    if provider in _NUMERIC_PROVIDERS or provider not in ("web", "job"):
        if isinstance(result, list):
            return "[" + " ".join(_go_value(v) for v in result) + "]"
        return _go_value(result)
    return _go_value(result)


def _go_value(value: Any) -> str:
    """fmt %v of what a provider returned (floats without a trailing .0, like Go)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)
