"""Analysis metric series: measured values over time, thresholds, and counts against limits.

Prometheus stores values as "[0.97]", plain providers as "0.97", web as raw JSON, job metrics
have none. Thresholds come from success/failure conditions shaped `<accessor> <op> <number>`
(after `{{args.x}}` substitution, split on && and ||), as the web dashboard's chart does.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rollout_tui.model.fields import as_dict, as_int, as_list, as_str, dig, parse_go_int, parse_time

DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4
_MAX_VALUE_LEN = 4096  # longer values are kept raw, not parsed
_ARG_REF = re.compile(r"\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_ACCESSOR = r"[A-Za-z_][A-Za-z0-9_.\[\]()\"']*"
_CLAUSE = re.compile(
    rf"^\(*\s*(?:({_ACCESSOR})\s*(<=|>=|<|>)\s*({_NUMBER})|({_NUMBER})\s*(<=|>=|<|>)\s*({_ACCESSOR}))\s*\)*$"
)
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


@dataclass(frozen=True)
class MetricPoint:
    started: datetime | None
    finished: datetime | None
    phase: str
    value: float | None  # first numeric value, None when there is none
    values: tuple[float, ...]  # every numeric value ("[1, 2]" vectors)
    raw: str
    message: str


@dataclass(frozen=True)
class Threshold:
    kind: str  # "success" or "failure"
    op: str  # "<", "<=", ">", ">=" with the value on the right
    value: float
    clause: str


@dataclass(frozen=True)
class MetricSeries:
    name: str
    provider: str
    phase: str
    message: str
    success_condition: str
    failure_condition: str
    thresholds: tuple[Threshold, ...]
    points: tuple[MetricPoint, ...]
    count: int
    successful: int
    failed: int
    inconclusive: int
    error: int
    consecutive_error: int
    failure_limit: int | None  # None: unlimited (-1) or unresolvable
    inconclusive_limit: int | None
    consecutive_error_limit: int | None
    wanted_count: int | None  # spec count; None = run until stopped
    interval: str
    # What is measured and where, {{args.x}} resolved: ("query", "sum(...)"), ("address", ...).
    provider_fields: tuple[tuple[str, str], ...] = ()

    @property
    def failures_left(self) -> int | None:
        """How many more failures the metric tolerates before it fails."""
        return None if self.failure_limit is None else max(0, self.failure_limit - self.failed)

    @property
    def limit_breaches(self) -> tuple[str, ...]:
        """Human statements of limits already exceeded, in the controller's wording."""
        breaches = []
        if self.failure_limit is not None and self.failed > self.failure_limit:
            breaches.append(f"failed ({self.failed}) > failureLimit ({self.failure_limit})")
        if self.inconclusive_limit is not None and self.inconclusive > self.inconclusive_limit:
            breaches.append(
                f"inconclusive ({self.inconclusive}) > inconclusiveLimit ({self.inconclusive_limit})"
            )
        if self.consecutive_error_limit is not None and self.consecutive_error > self.consecutive_error_limit:
            breaches.append(
                f"consecutiveErrors ({self.consecutive_error}) > consecutiveErrorLimit ({self.consecutive_error_limit})"
            )
        return tuple(breaches)


def parse_value(raw: Any) -> tuple[float, ...]:
    """Numeric values in a measurement value; () when there are none."""
    if isinstance(raw, bool) or raw is None:
        return ()
    if isinstance(raw, int | float):
        return (float(raw),) if math.isfinite(raw) else ()
    if not isinstance(raw, str) or len(raw) > _MAX_VALUE_LEN:
        return ()
    text = raw.strip()
    if not text:
        return ()
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        # Prometheus vectors of strings or NaN/Inf: "[0.97]", "[NaN]".
        inner = text[1:-1] if text.startswith("[") and text.endswith("]") else text
        values = []
        for part in inner.split(","):
            try:
                number = float(part.strip().strip('"'))
            except ValueError:
                return ()
            if math.isfinite(number):
                values.append(number)
        return tuple(values)
    return tuple(_numbers(decoded))


def _numbers(decoded: Any, depth: int = 0) -> list[float]:
    if depth > 4:
        return []
    if isinstance(decoded, bool) or decoded is None:
        return []
    if isinstance(decoded, int | float):
        return [float(decoded)] if math.isfinite(decoded) else []
    if isinstance(decoded, str):
        try:
            number = float(decoded)
        except ValueError:
            return []
        return [number] if math.isfinite(number) else []
    if isinstance(decoded, list):
        return [n for item in decoded[:1000] for n in _numbers(item, depth + 1)]
    if isinstance(decoded, dict) and len(decoded) == 1:
        # A web provider's {"value": 0.9}: one field, one number.
        return _numbers(next(iter(decoded.values())), depth + 1)
    return []


def resolve_args(text: str, args: Mapping[str, str]) -> str:
    """Substitute {{args.name}} with the run's argument values (unknown ones stay as written)."""
    return _ARG_REF.sub(lambda m: args.get(m.group(1), m.group(0)), text)


def thresholds(condition: str, kind: str, args: Mapping[str, str]) -> tuple[Threshold, ...]:
    if not condition or len(condition) > _MAX_VALUE_LEN:
        return ()
    found = []
    for clause in re.split(r"&&|\|\|", resolve_args(condition, args)):
        clause = clause.strip()
        match = _CLAUSE.match(clause)
        if not match:
            continue
        if match.group(1):
            op, number = match.group(2), match.group(3)
        else:
            op, number = _FLIP[match.group(5)], match.group(4)
        value = float(number)
        if math.isfinite(value):
            found.append(Threshold(kind=kind, op=op, value=value, clause=clause))
    return tuple(found)


def run_args(run: Any) -> dict[str, str]:
    return {
        as_str(as_dict(arg).get("name")): as_str(as_dict(arg).get("value"))
        for arg in as_list(dig(run, "spec", "args"))
        if as_str(as_dict(arg).get("name")) and isinstance(as_dict(arg).get("value"), str)
    }


def metric_series(run: Any, warnings: list[str] | None = None) -> tuple[MetricSeries, ...]:
    """One series per metric in spec.metrics, plus any result whose metric is not in the spec."""
    args = run_args(run)
    specs = [as_dict(m) for m in as_list(dig(run, "spec", "metrics"))]
    results = [as_dict(r) for r in as_list(dig(run, "status", "metricResults"))]
    names = [as_str(m.get("name")) for m in specs]
    names += [as_str(r.get("name")) for r in results if as_str(r.get("name")) not in names]
    series = []
    for name in dict.fromkeys(names):
        spec = next((m for m in specs if as_str(m.get("name")) == name), {})
        result = next((r for r in results if as_str(r.get("name")) == name), {})
        series.append(_series(name, spec, result, args, warnings))
    return tuple(series)


def _limit(
    spec: Mapping[str, Any],
    key: str,
    default: int,
    args: Mapping[str, str],
    warnings: list[str] | None,
    metric: str,
) -> int | None:
    raw = spec.get(key)
    if raw is None:
        return default
    if isinstance(raw, str):
        resolved = parse_go_int(resolve_args(raw, args))
        if resolved is None:
            if warnings is not None:
                warnings.append(f"metric {metric!r}: {key} {raw[:80]!r} is not a number")
            return None
        raw = resolved
    if isinstance(raw, bool) or not isinstance(raw, int):
        if warnings is not None:
            warnings.append(f"metric {metric!r}: {key} has type {type(raw).__name__}")
        return None
    return None if raw < 0 else raw


def _series(
    name: str,
    spec: Mapping[str, Any],
    result: Mapping[str, Any],
    args: Mapping[str, str],
    warnings: list[str] | None,
) -> MetricSeries:
    success = as_str(spec.get("successCondition"))
    failure = as_str(spec.get("failureCondition"))
    points = []
    for m in as_list(result.get("measurements")):
        m = as_dict(m)
        raw = m.get("value")
        values = parse_value(raw)
        points.append(
            MetricPoint(
                started=parse_time(m.get("startedAt")),
                finished=parse_time(m.get("finishedAt")),
                phase=as_str(m.get("phase")),
                value=values[0] if values else None,
                values=values,
                raw=as_str(raw),
                message=as_str(m.get("message")),
            )
        )
    count = spec.get("count")
    wanted = _limit(spec, "count", 0, args, warnings, name) if count is not None else None
    return MetricSeries(
        name=name,
        provider=as_str(next(iter(as_dict(spec.get("provider"))), "")),
        phase=as_str(result.get("phase")),
        message=as_str(result.get("message")),
        success_condition=success,
        failure_condition=failure,
        thresholds=thresholds(success, "success", args) + thresholds(failure, "failure", args),
        points=tuple(points),
        count=as_int(result.get("count")),
        successful=as_int(result.get("successful")),
        failed=as_int(result.get("failed")),
        inconclusive=as_int(result.get("inconclusive")),
        error=as_int(result.get("error")),
        consecutive_error=as_int(result.get("consecutiveError")),
        failure_limit=_limit(spec, "failureLimit", 0, args, warnings, name),
        inconclusive_limit=_limit(spec, "inconclusiveLimit", 0, args, warnings, name),
        consecutive_error_limit=_limit(
            spec, "consecutiveErrorLimit", DEFAULT_CONSECUTIVE_ERROR_LIMIT, args, warnings, name
        ),
        wanted_count=wanted or None,
        interval=as_str(spec.get("interval")),
        provider_fields=provider_fields(as_dict(spec.get("provider")), args),
    )


# The fields that say what a provider measures, per provider (pkg/apis/rollouts/v1alpha1
# analysis_types.go); other providers show their scalar fields.
_PROVIDER_FIELDS: dict[str, tuple[str, ...]] = {
    "prometheus": ("address", "query", "timeout"),
    "web": ("method", "url", "jsonPath", "timeoutSeconds", "body"),
    "datadog": ("query", "queries", "formula", "interval", "apiVersion"),
    "newRelic": ("query", "profile"),
    "wavefront": ("address", "query"),
    "graphite": ("address", "query"),
    "influxdb": ("profile", "query"),
    "skywalking": ("address", "query", "interval"),
    "cloudWatch": ("interval", "metricDataQueries"),
    "kayenta": ("address", "application", "canaryConfigName", "scope", "threshold"),
}


def _field_text(value: Any) -> str:
    if isinstance(value, str):
        return " ".join(value.split())  # a multi-line PromQL query reads as one line
    return json.dumps(value, sort_keys=True, separators=(", ", ": "))


def provider_fields(provider: Mapping[str, Any], args: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The provider's query, address, URL or Job with the run's arguments substituted."""
    kind = next(iter(provider), "")
    config = as_dict(provider.get(kind))
    out: list[tuple[str, str]] = []
    if kind == "job":
        for container in as_list(dig(config, "spec", "template", "spec", "containers")):
            container = as_dict(container)
            command = [*as_list(container.get("command")), *as_list(container.get("args"))]
            out.append(("image", as_str(container.get("image"))))
            if command:
                out.append(("command", " ".join(as_str(c) for c in command)))
    elif kind == "plugin":
        out += [("plugin", name) for name in as_dict(config)]
    else:
        keys = _PROVIDER_FIELDS.get(kind) or tuple(
            k for k, v in config.items() if isinstance(v, str | int | float)
        )
        out += [(key, _field_text(config[key])) for key in keys if config.get(key) not in (None, "", [], {})]
    return tuple((key, resolve_args(value, args)) for key, value in out)
