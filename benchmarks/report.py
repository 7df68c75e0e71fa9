"""Figures, their goals, the printed table and the JSON document."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from importlib import metadata
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
        "packages": {name: _version(name) for name in ("textual", "kubernetes", "msgspec")},
    }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def commit() -> str:
    """The measured tree's commit (with "+changes" when it differs from it)."""
    root = str(Path(__file__).resolve().parent.parent)
    head = _command("git", "-C", root, "rev-parse", "--short", "HEAD")
    dirty = _command("git", "-C", root, "status", "--porcelain", "--untracked-files=no")
    return head + ("+changes" if dirty and dirty != "?" else "")


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


def _range(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    missing = len(values) - len(got)
    text = "-" if not got else f"{min(got):.2f} s" if len(got) == 1 else f"{min(got):.2f}-{max(got):.2f} s"
    return text + (f" (**{missing} of {len(values)} never**)" if missing else "")


def soak_markdown(doc: dict[str, Any]) -> str:
    """The README's soak tables: per mode and fault, detection and recovery over the rounds."""
    out = []
    for run in doc["runs"]:
        out += [
            f"**{run['mode']}** ({run['size']}, {run['seconds'] / 60:.0f} min, "
            f"{run['simulated_hours']:.1f} simulated hours)",
            "",
            "| fault | detected after | recovered after the server is back | errors escaped |",
            "|---|---|---|---|",
        ]
        by_fault: dict[str, list[dict[str, Any]]] = {}
        for fault in run["faults"]:
            by_fault.setdefault(fault["fault"], []).append(fault)
        for results in by_fault.values():
            out.append(
                f"| {results[0]['description']} | {_range([r['detected_s'] for r in results])} | "
                f"{_range([r['recovered_s'] for r in results])} | {sum(r['errors_escaped'] for r in results)} |"
            )
        m = run["memory"]
        slope = m.get("slope_mb_per_hour")
        out += [
            "",
            f"RSS {m.get('after_warmup_mb')} MB after warm-up, {m.get('last_mb')} MB at the end (max "
            f"{m.get('max_above_warmup_mb')} MB above warm-up); slope "
            f"{'-' if slope is None else f'{slope:+.1f}'} MB/hour over {m.get('steady_minutes')} minutes "
            f"(goal <= 5 MB/hour over >= 60 minutes). Python objects {(run['objects_start'] or {}).get('gc_objects')}"
            f" -> {(run['objects_end'] or {}).get('gc_objects')}. Tracebacks on the terminal: {run['tracebacks']}; "
            f"writes sent: {run['writes_sent']}; `q` exited in {run['quit_seconds']:.2f} s. Load average "
            f"(1 min) during the run: mean {m.get('load_1m_mean')}, max {m.get('load_1m_max')}.",
            "",
        ]
    return "\n".join(out)


README_BEGIN = "<!-- benchmarks/report.py --readme: generated from a full run, do not edit -->"
README_END = "<!-- end of generated figures -->"


def _memory_total(free_h: str) -> str:
    for line in free_h.splitlines():
        if line.startswith("Mem:"):
            return line.split()[1]
    return "?"


def run_markdown(doc: dict[str, Any], source: str) -> str:
    """A full run for the README: the machine and the run, the table, each figure's notes."""
    meta, figures = doc["meta"], [Figure(**f) for f in doc["figures"]]
    m, load = meta["machine"], meta.get("load") or {}
    loads = " -> ".join("/".join(f"{v:.1f}" for v in load[k]) for k in ("before", "after") if load.get(k))
    lines = [
        f"Machine: {m['nproc']} vCPUs ({m['cpu']}), {_memory_total(m['free_h'])} RAM, shared with other "
        f"jobs (load average 1/5/15 min {loads or '?'}, before -> after); {m['platform']}, Python "
        f"{m['python']}, kubectl {m['kubectl'].splitlines()[0] if m['kubectl'] else '?'}"
        + "".join(f", {name} {version}" for name, version in (m.get("packages") or {}).items())
        + f". Commit "
        f"{meta.get('commit', '?')}, `python benchmarks/run.py` ({meta['mode']}), {meta['date']}, "
        f"{meta['seconds']:.0f} s; JSON in `{source}`.",
        "",
        markdown(figures),
        "",
    ]
    lines += [f"- {f.label}: {f.notes}" for f in figures if f.notes]
    lines += [f"- FAILED {name}: {error}" for name, error in meta.get("failed", {}).items()]
    return "\n".join(lines)


def write_readme(readme: Path, doc: dict[str, Any], source: str) -> None:
    """Replace the generated block of the README (between its markers) with this run."""
    text = readme.read_text(encoding="utf-8")
    head, begin, rest = text.partition(README_BEGIN)
    _, end, tail = rest.partition(README_END)
    if not begin or not end:
        raise SystemExit(f"{readme}: no {README_BEGIN!r} ... {README_END!r} block")
    block = f"{README_BEGIN}\n{run_markdown(doc, source)}\n{README_END}"
    readme.write_text(head + block + tail, encoding="utf-8")


if __name__ == "__main__":  # python benchmarks/report.py results.json [--readme README.md]
    import sys

    document = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    if sys.argv[2:3] == ["--readme"]:
        write_readme(Path(sys.argv[3]), document, sys.argv[1])
    elif "runs" in document:
        print(soak_markdown(document))
    else:
        print(markdown([Figure(**f) for f in document["figures"]]))
