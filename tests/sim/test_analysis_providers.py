"""Simulated providers: deterministic, shaped like the real providers' stored values, and steered
by the mode annotation through the real evaluator."""

from __future__ import annotations

import re

from rollout_tui.sim.analysis.providers import assess, measure

SUCCESS_RATE = {
    "name": "success-rate",
    "successCondition": "result[0] >= 0.95",
    "provider": {"prometheus": {"query": "x"}},
}
LATENCY = {
    "name": "latency",
    "successCondition": "result < 500",
    "failureCondition": "result > 800",
    "provider": {"prometheus": {"query": "y"}},
}
WEB = {
    "name": "web",
    "successCondition": "result.Status == 999",
    "failureCondition": "result.Status == -1",
    "provider": {"web": {"url": "http://x/api"}},
}


def _series(metric: dict, mode: str, n: int = 8, run: str = "run-1") -> list:
    return [measure(run, metric, i, mode) for i in range(n)]


def test_pass_mode_is_a_lively_success_rate_stored_like_prometheus() -> None:
    series = _series(SUCCESS_RATE, "pass")
    assert all(m.phase == "Successful" for m in series)
    assert all(re.fullmatch(r"\[0\.\d+\]", m.value or "") for m in series)
    assert len({m.value for m in series}) > 4  # it moves


def test_measurements_are_deterministic_per_run_name() -> None:
    assert _series(SUCCESS_RATE, "pass") == _series(SUCCESS_RATE, "pass")
    assert _series(SUCCESS_RATE, "pass") != _series(SUCCESS_RATE, "pass", run="run-2")


def test_fail_mode_degrades_after_the_first_measurement() -> None:
    series = _series(SUCCESS_RATE, "fail")
    assert series[0].phase == "Successful"
    assert {m.phase for m in series[1:]} == {"Failed"}
    values = [float(m.value.strip("[]")) for m in series]
    assert values[-1] < 0.95 <= values[0]


def test_inconclusive_mode_lands_between_the_thresholds() -> None:
    series = _series(LATENCY, "inconclusive")
    assert {m.phase for m in series} == {"Inconclusive"}
    assert all(500 <= float(m.value) <= 800 for m in series)


def test_latency_pass_values_are_under_the_bound() -> None:
    series = _series(LATENCY, "pass")
    assert all(m.phase == "Successful" and 0 < float(m.value) < 500 for m in series)


def test_web_provider_stores_raw_json() -> None:
    ok, bad = measure("r", WEB, 0, "pass"), measure("r", WEB, 1, "fail")
    assert (ok.phase, ok.value) == ("Successful", '{"Status":999}')
    assert (bad.phase, bad.value) == ("Failed", '{"Status":-1}')


def test_job_provider_has_no_value_but_job_metadata() -> None:
    m = measure("r", {"name": "smoke", "provider": {"job": {}}}, 0, "pass", job_name="uid.smoke.1")
    assert m.phase == "Successful" and m.value is None and m.metadata == {"job-name": "uid.smoke.1"}
    assert measure("r", {"name": "smoke", "provider": {"job": {}}}, 0, "fail").phase == "Failed"


def test_error_mode_is_a_provider_error() -> None:
    m = measure("r", SUCCESS_RATE, 0, "error")
    assert m.phase == "Error" and m.value is None and "connection refused" in (m.message or "")


def test_random_mode_mixes_outcomes() -> None:
    phases = {m.phase for m in _series(SUCCESS_RATE, "random", n=20)}
    assert phases == {"Successful", "Failed"}


def test_assess_follows_evaluate_result_rules() -> None:
    assert assess({}, 1) == ("Successful", None)
    assert assess({"successCondition": "result > 1"}, 0)[0] == "Failed"
    assert assess({"failureCondition": "result > 1"}, 0)[0] == "Successful"
    assert (
        assess({"successCondition": "result > 5", "failureCondition": "result < 1"}, 3)[0] == "Inconclusive"
    )
    assert assess({"successCondition": "result > 0", "failureCondition": "result > 0"}, 3)[0] == "Failed"
    phase, message = assess({"successCondition": "result[0] > 1"}, [])
    assert phase == "Error" and message.startswith('could not evaluate successCondition "result[0] > 1"')
