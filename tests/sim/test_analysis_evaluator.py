"""The condition evaluator: the expr subset the examples use, parsed, never eval'd."""

from __future__ import annotations

import math

import pytest

from rollout_tui.sim.analysis.evaluator import evaluate
from rollout_tui.sim.analysis.expression import EvaluationError, parse, result_paths


@pytest.mark.parametrize(
    ("condition", "result", "expected"),
    [
        ("result[0] >= 0.95", [0.97], True),
        ("result[0] >= 0.95", [0.9], False),
        ("result <= 0.01", 0.02, False),
        ("len(result) > 0", [1.0], True),
        ("len(result) > 0 && result[0] < 0.5", [], False),
        ("result > 1 || result < -1", -3, True),
        ("!(result == 0)", 2, True),
        ("not (result > 2) and result in [1, 2]", 1, True),
        ("asInt(result) == 3", "3", True),
        ("asFloat(result) > 0.5", "0.7", True),
        ("isNaN(result)", math.nan, True),
        ("isInf(result)", math.inf, True),
        ("default(result, 0) >= 0", None, True),
        ("isNil(result)", None, True),
        ("result == 'It worked!'", "It worked!", True),
        ('result == "true"', "true", True),
        ("result.Status == 999", {"Status": 999}, True),
        ("result.major == '1'", {"major": "1"}, True),
        ("result['major'] == '1'", {"major": "1"}, True),
        ("1 + 2 * 3 == 7 && (1 + 2) * 3 == 9", None, True),
        ("result[0] > 1 - 0.5", [0.6], True),
        ("result[-1] == 3", [1, 2, 3], True),
        ("result.a.b < 2", {"a": {"b": 1}}, True),
    ],
)
def test_conditions(condition: str, result: object, expected: bool) -> None:
    assert evaluate(condition, result) is expected


@pytest.mark.parametrize(
    ("condition", "result", "message"),
    [
        ("__import__('os').system('true')", 1, "unexpected token"),
        ("__import__('os')", 1, "unknown function __import__"),
        ("result.__class__", [1], "cannot fetch __class__"),
        ("open('/etc/passwd')", 1, "unknown function open"),
        ("result >", 1, "unexpected end of expression"),
        ("result[3] > 1", [1], "index out of range"),
        ("result > 1", "x", "invalid operation"),
        ("result", 1, "expected bool"),
        ("result ; 1", 1, "unexpected character"),
        ("asInt(result) > 1", "abc", "invalid syntax"),
        ("x" * 5000, 1, "longer than"),
    ],
)
def test_errors_are_evaluation_errors(condition: str, result: object, message: str) -> None:
    with pytest.raises(EvaluationError, match=message.replace("[", r"\[").replace("(", r"\(")):
        evaluate(condition, result)


def test_result_paths_find_where_a_condition_reads_the_result() -> None:
    assert result_paths(parse("result[0] >= 0.95 && result.a.b < 2")) == [(0,), ("a", "b")]
    assert result_paths(parse("len(result) > 0")) == [()]
