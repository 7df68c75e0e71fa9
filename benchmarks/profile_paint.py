"""Where a cold start's time goes: ``python benchmarks/profile_paint.py [--rollouts N] [--top K]``.

The cold start of run.py (a simulator of N rollouts in its own process, the real CLI on a pty,
until every rollout is painted), with the UI process under ``py-spy record --threads`` (100 Hz,
raw stacks). Prints, per thread, the functions with the most samples of their own (self) and in
their stacks (inclusive), so a missed cold start goal can name its floor.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import fig_paint
from ptyscreen import PtyScreen, rollout_tui_argv
from simproc import SimProcess

PY_SPY = Path(sys.executable).with_name("py-spy")


def record(rollouts: int, out: str) -> float:
    """Seconds from spawn to every rollout painted, with the UI under py-spy."""
    with SimProcess(rollouts=rollouts, namespaces=fig_paint.namespaces_for(rollouts)) as sim:
        ui = rollout_tui_argv("--kubeconfig", sim.kubeconfig)
        spy = [str(PY_SPY), "record", "--threads", "-r", "100", "-f", "raw", "-o", out, "--", *ui]
        pty = PtyScreen(spy, *fig_paint.SIZE)
        pty.start()
        try:
            frame = fig_paint.paint_wait(pty, rollouts)
        finally:
            pty.stop(timeout=30)
        return frame.t - pty.spawned_at


def _function(frame: str) -> str:
    """'Reflector._list (rollout_tui/kube/reflector.py:163)' -> 'Reflector._list (reflector.py)'."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit('/', 1)[-1].split(':')[0]})"


def summary(raw: str, top: int) -> str:
    """Per thread: the top functions by own samples and by samples in their stacks."""
    own: dict[str, Counter[str]] = {}
    inclusive: dict[str, Counter[str]] = {}
    for line in Path(raw).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")  # "thread (tid): name;function (path/file.py:line);..."
        thread = frames[0].split(": ", 1)[-1].split("#")[0]  # reflector threads: one per context
        calls = [_function(frame) for frame in frames[1:]]
        if not calls:
            continue
        own.setdefault(thread, Counter())[calls[-1]] += int(count)
        for call in set(calls):
            inclusive.setdefault(thread, Counter())[call] += int(count)
    out = []
    for thread, counts in sorted(own.items(), key=lambda kv: -sum(kv[1].values())):
        out.append(f"== {thread}: {sum(counts.values())} samples")
        out += [f"  self {n:6d}  {name}" for name, n in counts.most_common(top)]
        out += [f"  incl {n:6d}  {name}" for name, n in inclusive[thread].most_common(top)]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rollouts", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--raw", help="keep py-spy's raw stacks in this file")
    parser.add_argument("--summarize", metavar="RAW", help="only summarize an earlier --raw file")
    args = parser.parse_args()
    raw = args.summarize or args.raw or tempfile.mktemp(suffix=".txt", prefix="rollout-tui-paint-")
    if not args.summarize:
        seconds = record(args.rollouts, raw)
        print(f"{args.rollouts:,} rollouts: every rollout painted after {seconds:.2f} s (under py-spy)")
    print(summary(raw, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
