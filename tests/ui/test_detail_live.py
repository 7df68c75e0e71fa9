"""The detail pane fed by the simulator's controller on a manual clock, batch after batch, as the
shell feeds it: operator state survives, analysis and blue-green phases show as they happen."""

from __future__ import annotations

from typing import Any

from detailhelpers import (
    NOW,
    DetailApp,
    info_from,
    pane_text,
)

from rollout_tui.model.rollout import RolloutInfo
from rollout_tui.ui.detail import DetailPane
from rollout_tui.ui.detail.events import EventsView
from rollout_tui.ui.detail.metrics import MetricsView
from rollout_tui.ui.detail.spark import MetricSpark
from rollout_tui.ui.detail.tree import RevisionTree

_KINDS = {
    "rollouts": "Rollout",
    "replicasets": "ReplicaSet",
    "pods": "Pod",
    "analysisruns": "AnalysisRun",
    "experiments": "Experiment",
    "events": "Event",
}


class SimCluster:
    """The simulator's store and controller on a manual clock: the objects a DetailWatch would hold."""

    def __init__(self) -> None:
        from rollout_tui.sim.clock import SimClock
        from rollout_tui.sim.controller import Controller
        from rollout_tui.sim.store import Store

        self.clock = SimClock.manual(NOW)
        self.store = Store(clock=self.clock)
        self.controller = Controller(self.store, self.clock, strict=True)

    def objects(self) -> list[dict[str, Any]]:
        found = []
        for plural, kind in _KINDS.items():
            for obj in self.store.list(plural, "default")[0]:
                obj.setdefault("kind", kind)
                found.append(obj)
        return found

    def show(self, pane: DetailPane) -> RolloutInfo:
        objects = self.objects()
        info = info_from(objects, self.clock)
        pane.show(info, [o for o in objects if o["kind"] == "Event"], self.clock)
        return info

    def set_image(self, image: str) -> None:
        self.store.mutate(
            "rollouts",
            "default",
            "shop",
            lambda o: o["spec"]["template"]["spec"]["containers"][0].__setitem__("image", image),
        )


def _shop_rollout(analysis_mode: str | None = None) -> dict[str, Any]:
    canary: dict[str, Any] = {
        "steps": [{"setWeight": 25}, {"pause": {"duration": "60s"}}, {"setWeight": 50}, {"pause": {}}]
    }
    annotations = {}
    if analysis_mode:
        canary["analysis"] = {"templates": [{"templateName": "success-rate"}], "startingStep": 1}
        annotations["sim.rollout-tui.dev/analysis"] = analysis_mode
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "shop", "namespace": "default", "annotations": annotations},
        "spec": {
            "replicas": 4,
            "selector": {"matchLabels": {"app": "shop"}},
            "template": {
                "metadata": {"labels": {"app": "shop"}},
                "spec": {"containers": [{"name": "shop", "image": "shop:v1"}]},
            },
            "strategy": {"canary": canary},
        },
    }


SUCCESS_RATE_TEMPLATE = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "AnalysisTemplate",
    "metadata": {"name": "success-rate", "namespace": "default"},
    "spec": {
        "metrics": [
            {
                "name": "success-rate",
                "interval": "10s",
                "failureLimit": 2,
                "successCondition": "result[0] >= 0.95",
                "failureCondition": "result[0] < 0.9",
                "provider": {
                    "prometheus": {
                        "address": "http://prometheus:9090",
                        "query": "sum(rate(ok[1m])) / sum(rate(all[1m]))",
                    }
                },
            }
        ]
    },
}


async def test_live_canary_from_the_simulator_keeps_operator_state() -> None:
    sim = SimCluster()
    sim.store.create("rollouts", _shop_rollout())
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    sim.controller.tick(15)
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        sim.show(pane)
        await pilot.pause()
        assert "pause 60s  49s left" in pane_text(app)
        tree = app.query_one(RevisionTree)
        old_revision = tree.root.children[1]
        old_revision.collapse()
        canary_rs = tree.root.children[0].children[0]
        tree.move_cursor(canary_rs)
        # Simulated time passes; the pane is fed every batch, as the shell does.
        for _ in range(10):
            sim.controller.tick(10)
            sim.show(pane)
            await pilot.pause()
        text = pane_text(app)
        assert "Step 3/4" in text and "awaiting promotion" in text
        assert tree.cursor_node is canary_rs and pane.selected_revision() == 2
        assert not old_revision.is_expanded
        assert len(canary_rs.children) == 2  # setWeight 50 of 4 replicas: the canary grew a pod
        rows = app.query_one(EventsView)._rows
        assert rows and any("Scaled up ReplicaSet" in row[5] for row in rows)


async def test_failing_analysis_from_the_simulator() -> None:
    sim = SimCluster()
    sim.store.create("analysistemplates", SUCCESS_RATE_TEMPLATE)
    sim.store.create("rollouts", _shop_rollout("fail"))
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        for _ in range(12):
            sim.controller.tick(10)
            info = sim.show(pane)
            await pilot.pause()
        assert info.state.aborted, info.state.message
        text = pane_text(app)
        assert "success-rate Failed" in text
        assert "(limit)" in text and "aborted" in text
        row = pane.query_one(MetricsView).rows()[0]
        assert row.has_class("-failed")
        assert len(row.query_one(MetricSpark).data.values) >= 3  # the sparkline plots the measured values


async def test_bluegreen_pipeline_from_the_simulator() -> None:
    sim = SimCluster()
    rollout = _shop_rollout()
    rollout["spec"]["replicas"] = 3
    rollout["spec"]["strategy"] = {
        "blueGreen": {
            "activeService": "shop",
            "previewService": "shop-preview",
            "autoPromotionEnabled": False,
            "scaleDownDelaySeconds": 30,
        }
    }
    sim.store.create("rollouts", rollout)
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    app = DetailApp()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)

        async def advance(seconds: float) -> str:
            sim.controller.tick(seconds)
            sim.show(pane)
            await pilot.pause()
            return pane_text(app)

        text = await advance(30)
        assert "Blue-green waiting for promotion" in text and "promote to switch traffic" in text
        # The operator promotes (what `promote` patches for a blue-green pause).
        sim.store.patch(
            "rollouts",
            "default",
            "shop",
            {"status": {"pauseConditions": None}},
            "application/merge-patch+json",
            subresource="status",
        )
        text = await advance(1)
        assert "Blue-green scale-down" in text and "scale-down in 29s" in text
        sim.clock.advance(10)
        pane.tick()  # no batch: the countdown follows the clock
        await pilot.pause()
        assert "scale-down in 19s" in pane_text(app)
        text = await advance(30)
        assert "Blue-green complete" in text


async def test_analysis_step_state_from_the_simulator() -> None:
    sim = SimCluster()
    sim.store.create("analysistemplates", SUCCESS_RATE_TEMPLATE)
    rollout = _shop_rollout("pass")
    del rollout["spec"]["strategy"]["canary"]["analysis"]
    rollout["spec"]["strategy"]["canary"]["steps"][1] = {
        "analysis": {"templates": [{"templateName": "success-rate"}]}
    }
    sim.store.create("rollouts", rollout)
    sim.controller.tick(120)
    sim.set_image("shop:v2")
    app = DetailApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.query_one(DetailPane)
        for _ in range(3):
            sim.controller.tick(10)
            sim.show(pane)
            await pilot.pause()
        text = pane_text(app)
        assert "1 analysis success-rate  ◌ Running ✔" in text, text
        assert "success-rate Running" in text  # its metric row is live
