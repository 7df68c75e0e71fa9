"""AnalysisRuns on the simulated clock: measurement cadence and limits, the run phase and message,
and how rollouts create and react to them (step, background, inconclusive, retry)."""

from __future__ import annotations

import copy

import yaml

from rollout_tui.sim.controller.harness import Harness
from tests.fixtures.sets import MANIFESTS

MODE = "sim.rollout-tui.dev/analysis"


def _run(metrics: list[dict], mode: str = "pass", name: str = "run") -> dict:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AnalysisRun",
        "metadata": {"name": name, "annotations": {MODE: mode}},
        "spec": {"metrics": metrics},
    }


def _metric(**fields: object) -> dict:
    return {
        "name": "success-rate",
        "successCondition": "result[0] >= 0.95",
        "provider": {"prometheus": {"address": "http://prom:9090", "query": "up"}},
        **fields,
    }


def _get(h: Harness, name: str = "run") -> dict:
    return h.store.get("analysisruns", "default", name)


def test_interval_count_and_initial_delay() -> None:
    h = Harness()
    h.apply(_run([_metric(interval="10s", count=3, initialDelay="5s")]))
    assert _get(h)["status"]["phase"] == "Running"
    assert _get(h)["status"].get("metricResults", []) == []
    h.tick(5)
    [result] = _get(h)["status"]["metricResults"]
    assert result["count"] == 1 and result["measurements"][0]["value"].startswith("[0.")
    h.tick(9)
    assert _get(h)["status"]["metricResults"][0]["count"] == 1
    h.tick(1)
    assert _get(h)["status"]["metricResults"][0]["count"] == 2
    h.tick(10)
    status = _get(h)["status"]
    assert status["phase"] == "Successful" and status["completedAt"]
    assert status["runSummary"] == {"count": 1, "successful": 1, "failed": 0, "inconclusive": 0, "error": 0}
    assert [e["reason"] for e in h.events(name="run")].count("AnalysisRunSuccessful") == 1
    h.tick(60)
    assert _get(h)["status"]["metricResults"][0]["count"] == 3  # nothing after completion


def test_failure_limit_and_the_message_format() -> None:
    h = Harness()
    h.apply(_run([_metric(interval="5s", count=10, failureLimit=2)], mode="fail"))
    assert h.run_until(lambda: _get(h)["status"]["phase"] == "Failed", 60)
    status = _get(h)["status"]
    [result] = status["metricResults"]
    assert (result["successful"], result["failed"], result["phase"]) == (1, 3, "Failed")
    assert status["message"] == 'Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)'
    [event] = h.events("AnalysisRunFailed", name="run")
    assert event["type"] == "Warning" and event["message"] == "Analysis Completed. Result: Failed"


def test_inconclusive_limit() -> None:
    h = Harness()
    metric = _metric(
        interval="5s",
        count=5,
        successCondition="result < 500",
        failureCondition="result > 800",
        inconclusiveLimit=1,
    )
    h.apply(_run([metric], mode="inconclusive"))
    assert h.run_until(lambda: _get(h)["status"]["phase"] == "Inconclusive", 60)
    assert _get(h)["status"]["message"].endswith("inconclusive (2) > inconclusiveLimit (1)")


def test_consecutive_error_limit() -> None:
    h = Harness()
    h.apply(_run([_metric(interval="5s", count=10, consecutiveErrorLimit=2)], mode="error"))
    assert h.run_until(lambda: _get(h)["status"]["phase"] == "Error", 60)
    status = _get(h)["status"]
    assert status["metricResults"][0]["consecutiveError"] == 3
    assert status["message"].startswith(
        'Metric "success-rate" assessed Error due to consecutiveErrors (3) > '
        'consecutiveErrorLimit (2): "Error Message: '
    )


def test_only_the_last_ten_measurements_are_kept() -> None:
    h = Harness()
    h.apply(_run([_metric(interval="1s")]))  # no count: runs until terminated
    h.tick(30)
    [result] = _get(h)["status"]["metricResults"]
    assert result["count"] >= 30 and len(result["measurements"]) == 10
    h.store.patch(
        "analysisruns", "default", "run", {"spec": {"terminate": True}}, "application/merge-patch+json"
    )
    h.tick(0)
    status = _get(h)["status"]
    assert status["phase"] == "Successful" and status["message"] == "Run Terminated"


def test_worst_metric_decides_the_run() -> None:
    h = Harness()
    run = _run([_metric(name="a", interval="5s", count=2), _metric(name="b", interval="5s", count=2)])
    run["metadata"]["annotations"][f"{MODE}.b"] = "fail"  # one metric degrades, the other is fine
    h.apply(run)
    assert h.run_until(lambda: _get(h)["status"]["phase"] != "Running", 30)
    status = _get(h)["status"]
    assert status["phase"] == "Failed"
    assert [r["phase"] for r in status["metricResults"]] == ["Successful", "Failed"]


def _analysis_rollout(steps: list[dict], annotations: dict | None = None, **canary: object) -> dict:
    labels = {"app": "api"}
    ro = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "api"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "api", "image": "demo:blue"}]},
            },
            "strategy": {"canary": {"steps": steps, **copy.deepcopy(canary)}},
        },
    }
    if annotations:
        ro["metadata"]["annotations"] = annotations
    return ro


TEMPLATE = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "AnalysisTemplate",
    "metadata": {"name": "rate"},
    "spec": {
        "args": [{"name": "service"}, {"name": "hash"}],
        "metrics": [
            {
                "name": "success-rate",
                "interval": "5s",
                "count": 2,
                "successCondition": "result[0] >= 0.95",
                "provider": {"prometheus": {"query": 'rate{svc="{{args.service}}",hash="{{ args.hash }}"}'}},
            }
        ],
    },
}
STEP = {
    "analysis": {
        "templates": [{"templateName": "rate"}],
        "args": [
            {"name": "service", "value": "api.default.svc"},
            {"name": "hash", "valueFrom": {"podTemplateHashValue": "Latest"}},
        ],
    }
}


def _started(h: Harness) -> None:
    assert h.run_until(lambda: h.phase("api") == "Healthy", 30)
    h.set_image("api", "demo:green")


def test_step_analysis_run_is_named_labelled_and_interpolated() -> None:
    h = Harness()
    h.apply([TEMPLATE, _analysis_rollout([{"setWeight": 50}, STEP, {"setWeight": 100}])])
    _started(h)
    digest = h.status("api")["currentPodHash"]
    assert h.run_until(lambda: "currentStepAnalysisRunStatus" in h.status("api").get("canary", {}), 30)
    name = f"api-{digest}-2-1"
    run = h.store.get("analysisruns", "default", name)
    assert run["metadata"]["labels"] == {
        "rollouts-pod-template-hash": digest,
        "rollout-type": "Step",
        "step-index": "1",
    }
    assert run["metadata"]["annotations"]["rollout.argoproj.io/revision"] == "2"
    assert run["metadata"]["ownerReferences"][0]["name"] == "api"
    assert (
        run["spec"]["metrics"][0]["provider"]["prometheus"]["query"]
        == f'rate{{svc="api.default.svc",hash="{digest}"}}'
    )
    assert {"name": "hash", "value": digest} in run["spec"]["args"]
    assert h.run_until(lambda: h.phase("api") == "Healthy", 60)
    assert h.status("api").get("canary", {}).get("currentStepAnalysisRunStatus") is None
    events = [e["message"] for e in h.events("AnalysisRunSuccessful", name="api")]
    assert events == [f"Step Analysis Run '{name}' Status New: 'Successful' Previous: 'Running'"]


def test_failed_step_analysis_aborts_and_retry_starts_a_new_run() -> None:
    h = Harness()
    h.apply([TEMPLATE, _analysis_rollout([{"setWeight": 50}, STEP, {"setWeight": 100}], {MODE: "fail"})])
    _started(h)
    digest = h.status("api")["currentPodHash"]
    assert h.run_until(lambda: h.phase("api") == "Degraded", 60)
    assert h.message("api") == (
        'RolloutAborted: Rollout aborted update to revision 2: Metric "success-rate" '
        "assessed Failed due to failed (1) > failureLimit (0)"
    )
    ref = h.status("api")["canary"]["currentStepAnalysisRunStatus"]
    assert (ref["name"], ref["status"]) == (f"api-{digest}-2-1", "Failed")
    h.retry("api")
    assert h.run_until(lambda: h.store.count("analysisruns") == 2, 30)
    assert {r["metadata"]["name"] for r in h.analysis_runs()} == {f"api-{digest}-2-1", f"api-{digest}-2-1.1"}


def test_inconclusive_step_pauses_and_promote_moves_on() -> None:
    h = Harness()
    template = copy.deepcopy(TEMPLATE)
    template["spec"]["metrics"][0].update(successCondition="result < 500", failureCondition="result > 800")
    h.apply(
        [template, _analysis_rollout([{"setWeight": 50}, STEP, {"setWeight": 100}], {MODE: "inconclusive"})]
    )
    _started(h)
    assert h.run_until(lambda: h.phase("api") == "Paused", 60)
    assert h.message("api") == "InconclusiveAnalysisRun"
    assert h.status("api")["canary"]["currentStepAnalysisRunStatus"]["status"] == "Inconclusive"
    h.promote("api")  # sends pauseConditions null, controllerPause false, currentStepIndex 2
    assert h.status("api")["currentStepIndex"] == 2
    assert h.run_until(lambda: h.phase("api") == "Healthy", 60)


def _manifests(h: Harness, *names: str) -> list[dict]:
    return [obj for name in names for obj in h.apply(MANIFESTS / name)]


def test_background_analysis_failure_aborts_and_its_job_is_recorded() -> None:
    h = Harness()
    _manifests(h, "analysis-templates.yaml")
    name = "rollout-background-analysis"
    # Deployed, then told to fail: the first deploy starts no background analysis of its own.
    _manifests(h, "background-analysis.yaml")
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)
    h.store.mutate("rollouts", "default", name, lambda o: o["metadata"].update(annotations={MODE: "fail"}))
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    digest = h.status(name)["currentPodHash"]
    assert h.run_until(lambda: h.phase(name) == "Degraded", 60)
    ref = h.status(name)["canary"]["currentBackgroundAnalysisRunStatus"]
    assert ref["name"] == f"{name}-{digest}-2" and ref["status"] == "Failed"
    run = h.store.get("analysisruns", "default", ref["name"])
    assert run["metadata"]["labels"]["rollout-type"] == "Background"
    assert [m["name"] for m in run["spec"]["metrics"]] == ["smoke-test", "success-rate"]
    assert {"name": "service", "value": name} in run["spec"]["args"]
    smoke = next(r for r in run["status"]["metricResults"] if r["name"] == "smoke-test")
    job_name = smoke["measurements"][0]["metadata"]["job-name"]
    job = h.store.get("jobs", "default", job_name)  # the Job a job metric runs, finished
    assert job["metadata"]["ownerReferences"][0]["name"] == ref["name"]
    assert job["status"]["failed"] == 1 and job["status"]["conditions"][0]["type"] == "Failed"
    assert h.message(name).startswith("RolloutAborted: Rollout aborted update to revision 2: Metric ")


def test_background_analysis_is_terminated_when_the_rollout_completes() -> None:
    h = Harness()
    docs = [d for d in yaml.safe_load_all((MANIFESTS / "background-analysis.yaml").read_text()) if d]
    docs[0]["spec"]["strategy"]["canary"]["analysis"]["templates"] = [{"templateName": "rate"}]
    docs[0]["spec"]["strategy"]["canary"]["analysis"]["args"] = [
        {"name": "service", "value": "x"},
        {"name": "hash", "value": "y"},
    ]
    template = copy.deepcopy(TEMPLATE)
    del template["spec"]["metrics"][0]["count"]  # runs until terminated
    h.apply([template, *docs])
    name = "rollout-background-analysis"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    assert h.run_until(lambda: h.phase(name) == "Paused", 30)
    h.tick(30)
    ref = h.status(name)["canary"]["currentBackgroundAnalysisRunStatus"]
    assert ref["status"] == "Running"
    h.promote(name)
    assert h.run_until(lambda: h.phase(name) == "Healthy", 30)
    run = h.store.get("analysisruns", "default", ref["name"])
    assert run["spec"]["terminate"] is True
    assert run["status"]["phase"] == "Successful" and run["status"]["message"] == "Run Terminated"


def test_analysis_step_with_a_cluster_template_walks_to_healthy() -> None:
    h = Harness()
    _manifests(h, "analysis-templates.yaml", "cluster-analysis-templates.yaml", "analysis-step.yaml")
    name = "rollout-analysis-step"
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    h.set_image(name, "argoproj/rollouts-demo:yellow")
    assert h.run_until(lambda: h.status(name).get("currentStepIndex") == 1, 30)
    assert h.run_until(lambda: h.phase(name) == "Healthy", 60)
    [run] = h.analysis_runs()
    assert [m["name"] for m in run["spec"]["metrics"]] == ["success-rate", "platform-smoke-test"]
    assert run["status"]["phase"] == "Successful"
    assert {"name": "service", "value": "rollout-analysis-step-canary"} in run["spec"]["args"]


def test_missing_template_is_an_invalid_spec() -> None:
    h = Harness()
    h.apply(_analysis_rollout([{"setWeight": 50}, STEP]))
    _started(h)
    assert h.run_until(lambda: h.phase("api") == "Degraded", 30)
    assert h.message("api") == "InvalidSpec: AnalysisTemplate 'rate' not found"
    h.apply(TEMPLATE)  # the template arrives: the rollout is looked at again and carries on
    assert h.run_until(lambda: h.phase("api") == "Healthy", 60)


def test_dry_run_metrics_do_not_decide_the_run() -> None:
    h = Harness()
    run = _run([_metric(name="real", interval="5s", count=2), _metric(name="trial", interval="5s", count=2)])
    run["metadata"]["annotations"][f"{MODE}.trial"] = "fail"
    run["spec"]["dryRun"] = [{"metricName": "trial"}]
    h.apply(run)
    assert h.run_until(lambda: _get(h)["status"]["phase"] != "Running", 30)
    status = _get(h)["status"]
    assert status["phase"] == "Successful"
    assert status["runSummary"]["count"] == 1 and status["dryRunSummary"] == {
        "count": 1,
        "successful": 0,
        "failed": 1,
        "inconclusive": 0,
        "error": 0,
    }
