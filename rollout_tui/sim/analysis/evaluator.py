"""A safe evaluator for the `expr` subset AnalysisTemplate conditions use.

Conditions come from cluster objects, i.e. from anyone who can create an AnalysisTemplate, so
they are parsed into a small AST (``expression``) and interpreted here; nothing is ever handed
to Python's eval. Supported: number/string/bool/nil literals, `result` with `.field`, `[index]`,
`["key"]`, `!`/`not`, unary `-`, `* / %`, `+ -`, comparisons, `in`, `&&`/`and`, `||`/`or`,
parentheses, and the functions argo-rollouts puts in the environment (asInt, asFloat, isNaN,
isInf, isNil, default) plus expr builtins the examples use (len, abs, int, float, string, lower,
upper). Errors raise `EvaluationError` with a message shaped like expr's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from rollout_tui.sim.analysis.expression import EvaluationError, Node, parse

_N = TypeVar("_N", int, float)

__all__ = ["EvaluationError", "evaluate"]


def evaluate(condition: str, result: Any) -> bool:
    """Evaluate a success/failure condition against a measurement result; must yield a bool."""
    value = _Interpreter(result).eval(parse(condition))
    if not isinstance(value, bool):
        raise EvaluationError(f"expected bool, but got {_type_name(value)}")
    return value


class _Interpreter:
    def __init__(self, result: Any) -> None:
        self.result = result
        self.functions: dict[str, Callable[..., Any]] = {
            "asInt": _as_int,
            "asFloat": _as_float,
            "isNaN": lambda x: isinstance(x, float) and math.isnan(x),
            "isInf": lambda x: isinstance(x, float) and math.isinf(x),
            "isNil": lambda _x: result is None,
            "default": lambda _x, fallback: fallback if result is None else result,
            "len": _length,
            "abs": lambda x: abs(_number(x)),
            "int": _as_int,
            "float": _as_float,
            "string": lambda x: _go_string(x),
            "lower": lambda x: str(x).lower(),
            "upper": lambda x: str(x).upper(),
        }

    def eval(self, node: Node) -> Any:
        op, args = node.op, node.args
        if op == "lit":
            return args[0]
        if op == "array":
            return [self.eval(item) for item in args]
        if op == "name":
            if args[0] == "result":
                return self.result
            raise EvaluationError(f"unknown name {args[0]}")
        if op == "member":
            return _member(self.eval(args[0]), args[1])
        if op == "index":
            return _index(self.eval(args[0]), self.eval(args[1]))
        if op == "call":
            name, call_args = args
            function = self.functions.get(name)
            if function is None:
                raise EvaluationError(f"unknown function {name}")
            values = [self.eval(a) for a in call_args]
            try:
                return function(*values)
            except TypeError as exc:
                raise EvaluationError(f"invalid arguments for {name}: {exc}") from None
        if op == "unary":
            return _unary(args[0], self.eval(args[1]))
        if op == "binary":
            symbol, left_node, right_node = args
            left = self.eval(left_node)
            if symbol in ("&&", "||"):  # short-circuit like expr
                _require_bool(symbol, left)
                if (symbol == "&&") != left:
                    return left
                right = self.eval(right_node)
                _require_bool(symbol, right)
                return right
            return _binary(symbol, left, self.eval(right_node))
        raise EvaluationError(f"bad node {op}")  # pragma: no cover - parser never builds one


def _type_name(value: Any) -> str:
    names = {
        bool: "bool",
        int: "int",
        float: "float64",
        str: "string",
        list: "[]interface {}",
        dict: "map[string]interface {}",
        type(None): "<nil>",
    }
    return names.get(type(value), type(value).__name__)


def _require_bool(symbol: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise EvaluationError(f"invalid operation: {symbol} on {_type_name(value)}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: Any) -> float | int:
    if not _is_number(value):
        raise EvaluationError(f"expected a number, got {_type_name(value)}")
    return value


def _member(value: Any, name: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(name)
    if value is None:
        raise EvaluationError(f"cannot fetch {name} from <nil>")
    raise EvaluationError(f"cannot fetch {name} from {_type_name(value)}")


def _index(value: Any, key: Any) -> Any:
    if isinstance(value, (list, tuple, str)):
        if not _is_number(key) or int(key) != key:
            raise EvaluationError(f"cannot use {_type_name(key)} as index to {_type_name(value)}")
        idx = int(key)
        if idx < 0:
            idx += len(value)
        if not 0 <= idx < len(value):
            raise EvaluationError(f"index out of range: {int(key)} (array length is {len(value)})")
        return value[idx]
    if isinstance(value, Mapping):
        return value.get(key if isinstance(key, str) else str(key))
    raise EvaluationError(f"cannot fetch {key!r} from {_type_name(value)}")


def _unary(symbol: str, value: Any) -> Any:
    if symbol == "!":
        _require_bool("!", value)
        return not value
    number = _number(value)
    return -number if symbol == "-" else number


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _binary(symbol: str, left: Any, right: Any) -> Any:
    if symbol == "==":
        return _equal(left, right)
    if symbol == "!=":
        return not _equal(left, right)
    if symbol == "in":
        if isinstance(right, Mapping):
            return left in right
        if isinstance(right, (list, tuple)):
            return any(_equal(left, item) for item in right)
        if isinstance(right, str) and isinstance(left, str):
            return left in right
        raise EvaluationError(f"invalid operation: in on {_type_name(right)}")
    if symbol in _COMPARE:
        if isinstance(left, str) and isinstance(right, str):
            return _COMPARE[symbol](left, right)
        if _is_number(left) and _is_number(right):
            return _COMPARE[symbol](left, right)
        raise EvaluationError(f"invalid operation: {_type_name(left)} {symbol} {_type_name(right)}")
    if symbol == "+" and isinstance(left, str) and isinstance(right, str):
        return left + right
    a, b = _number(left), _number(right)
    if symbol == "+":
        return a + b
    if symbol == "-":
        return a - b
    if symbol == "*":
        return a * b
    if b == 0 and isinstance(a, int) and isinstance(b, int):
        raise EvaluationError("integer divide by zero")
    if symbol == "/":
        return a / b if b != 0 else (math.copysign(math.inf, a) if a else math.nan)
    return a % b


def _equal(left: Any, right: Any) -> bool:
    if _is_number(left) and _is_number(right):
        return float(left) == float(right)
    if type(left) is not type(right) and not (left is None or right is None):
        return False
    return bool(left == right)


def _length(value: Any) -> int:
    if isinstance(value, (list, tuple, str, Mapping)):
        return len(value)
    raise EvaluationError(f"invalid argument for len (type {_type_name(value)})")


def _as_int(value: Any) -> int:
    return _convert(value, int, "ParseInt", "asInt")


def _as_float(value: Any) -> float:
    return _convert(value, float, "ParseFloat", "asFloat")


def _convert(value: Any, kind: Callable[[Any], _N], parser: str, function: str) -> _N:
    """A number as ``kind``, or a string parsed as Go's strconv would (its error message too)."""
    if _is_number(value):
        return kind(value)
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            raise EvaluationError(f'strconv.{parser}: parsing "{value}": invalid syntax') from None
    raise EvaluationError(f"{function}() not supported on {_type_name(value)} {value}")


def _go_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
