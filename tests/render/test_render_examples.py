"""The bundled examples (rollout_tui/examples) load cleanly and show what they are meant to."""

from __future__ import annotations

from pathlib import Path

from rollout_tui.manifests import load_objects
from rollout_tui.model.clock import FixedClock
from rollout_tui.model.fields import parse_time
from rollout_tui.model.rollout import rollout_info

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "rollout_tui" / "examples"
CLOCK = FixedClock(parse_time("2026-11-26T08:17:00Z"))


def test_examples_render_without_warnings(run_cli) -> None:
    for name in ("checkout", "storefront"):
        code, out, err = run_cli(
            "get", "rollout", name, "-f", str(EXAMPLES_DIR), "--now", "2026-11-26T08:17:00Z"
        )
        assert (code, err) == (0, ""), err
        assert out.startswith(f"Name:            {name}\nNamespace:       shop\n")


def test_canary_example_model() -> None:
    objects = load_objects(EXAMPLES_DIR / "canary-analysis.yaml")
    info = rollout_info(objects.rollout("shop", "checkout"), objects)
    assert info.warnings == ()
    assert info.steps is not None and info.steps.current is not None
    assert (info.steps.current.spec.kind, info.steps.current.spec.detail) == ("analysis", "success-rate")
    assert [s.state for s in info.steps.steps][:3] == ["done", "done", "current"]
    step_run = next(r for r in info.analysisruns if r.rollout_type == "Step")
    (series,) = step_run.metrics
    assert [(t.kind, t.op, t.value) for t in series.thresholds] == [
        ("success", ">=", 0.95),
        ("failure", "<", 0.9),
    ]
    assert [p.value for p in series.points][:2] == [0.991, 0.987] and series.failures_left == 1


def test_bluegreen_example_model() -> None:
    objects = load_objects(EXAMPLES_DIR / "bluegreen-preview.yaml")
    info = rollout_info(objects.rollout("shop", "storefront"), objects)
    assert info.bluegreen is not None and info.bluegreen.phase == "waiting for promotion"
    assert [(i.image, i.tags) for i in info.images] == [
        ("ghcr.io/example/storefront:2.7.1", ("stable", "active")),
        ("ghcr.io/example/storefront:2.8.0", ("preview",)),
    ]
