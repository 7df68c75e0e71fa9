"""Figures, their goals, the printed table and the JSON document."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    key: str  # stable id, e.g. "coldstart.10000.seconds"
    label: str
    value: float | None
    unit: str
    goal: str  # e.g. "<= 1.0"; "" when the figure is informational
    met: bool | None  # None: no goal, or not measurable
    baseline: float | None = None
    baseline_label: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "B":
        return f"{value:,.0f} B"
    if unit == "B/s":
        return f"{value:,.0f} B/s"
    if unit == "ev/s":
        return f"{value:,.0f} ev/s"
    return f"{value:g} {unit}".strip()


def table(figures: list[Figure]) -> str:
    rows = [("figure", "rollout-tui", "baseline", "goal", "met")]
    for f in figures:
        baseline = f"{_fmt(f.baseline, f.unit)} ({f.baseline_label})" if f.baseline_label else "-"
        met = {True: "yes", False: "NO", None: "-"}[f.met]
        rows.append((f.label, _fmt(f.value, f.unit), baseline, f.goal or "-", met))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(figures: list[Figure]) -> str:
    out = ["| figure | rollout-tui | baseline (same run) | goal | met |", "|---|---|---|---|---|"]
    for f in figures:
        baseline = f"{_fmt(f.baseline, f.unit)} ({f.baseline_label})" if f.baseline_label else "-"
        met = {True: "yes", False: "**no**", None: "-"}[f.met]
        out.append(f"| {f.label} | {_fmt(f.value, f.unit)} | {baseline} | {f.goal or '-'} | {met} |")
    return "\n".join(out)


def _command(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=20, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine(kubectl_version: str) -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "free_h": _command("free", "-h"),
        "python": platform.python_version(),
        "kubectl": kubectl_version,
        "platform": platform.platform(),
        "cpu": _cpu_model(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write_json(path: str, figures: list[Figure], meta: dict[str, Any]) -> None:
    doc = {"meta": meta, "figures": [asdict(f) for f in figures]}
    Path(path).write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")


def figures_from_json(path: str) -> list[Figure]:
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Figure(**f) for f in doc["figures"]]


if __name__ == "__main__":  # python benchmarks/report.py results.json: the README's markdown table
    import sys

    print(markdown(figures_from_json(sys.argv[1])))
