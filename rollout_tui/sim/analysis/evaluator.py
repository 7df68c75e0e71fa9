"""A safe evaluator for the `expr` subset AnalysisTemplate conditions use.

Conditions come from cluster objects, i.e. from anyone who can create an AnalysisTemplate, so
they are tokenised and parsed here into a small AST and interpreted; nothing is ever handed to
Python's eval. Supported: number/string/bool/nil literals, `result` with `.field`, `[index]`,
`["key"]`, `!`/`not`, unary `-`, `* / %`, `+ -`, comparisons, `in`, `&&`/`and`, `||`/`or`,
parentheses, and the functions argo-rollouts puts in the environment (asInt, asFloat, isNaN,
isInf, isNil, default) plus expr builtins the examples use (len, abs, int, float, string, lower,
upper). Errors raise `EvaluationError` with a message shaped like expr's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class EvaluationError(Exception):
    """The condition could not be parsed or evaluated against the result."""


@dataclass(frozen=True)
class Node:
    op: str  # "lit", "array", "name", "member", "index", "call", "unary", "binary"
    args: tuple[Any, ...]


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+\.\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+)?)
      | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>&&|\|\||==|!=|<=|>=|[<>!+\-*/%().,\[\]])
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)

_KEYWORD_OPS = {"and": "&&", "or": "||", "not": "!", "in": "in"}
_BINARY_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 3,
    "<=": 3,
    ">": 3,
    ">=": 3,
    "in": 3,
    "+": 4,
    "-": 4,
    "*": 5,
    "/": 5,
    "%": 5,
}
MAX_EXPRESSION_LENGTH = 4096


def tokenize(text: str) -> list[tuple[str, Any]]:
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise EvaluationError(f"expression longer than {MAX_EXPRESSION_LENGTH} characters")
    tokens: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise EvaluationError(f"unexpected character {text[pos:].lstrip()[:1]!r} at {pos}")
        pos = match.end()
        if match["num"] is not None:
            raw = match["num"]
            tokens.append(("lit", float(raw) if any(c in raw for c in ".eE") else int(raw)))
        elif match["str"] is not None:
            tokens.append(("lit", _unquote(match["str"])))
        elif match["op"] is not None:
            tokens.append(("op", match["op"]))
        else:
            name = match["name"]
            if name in _KEYWORD_OPS:
                tokens.append(("op", _KEYWORD_OPS[name]))
            elif name in ("true", "false"):
                tokens.append(("lit", name == "true"))
            elif name in ("nil", "null"):
                tokens.append(("lit", None))
            else:
                tokens.append(("name", name))
    return tokens


def _unquote(raw: str) -> str:
    body = raw[1:-1]
    escapes = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m[1], m[1]), body)


class _Parser:
    """Precedence climbing over the token list."""

    def __init__(self, tokens: list[tuple[str, Any]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        if token is None:
            raise EvaluationError("unexpected end of expression")
        self.pos += 1
        return token

    def expect(self, op: str) -> None:
        token = self.take()
        if token != ("op", op):
            raise EvaluationError(f"expected {op!r}, found {token[1]!r}")

    def parse(self) -> Node:
        node = self.expression(0)
        if self.peek() is not None:
            raise EvaluationError(f"unexpected token {self.peek()[1]!r}")  # type: ignore[index]
        return node

    def expression(self, min_precedence: int) -> Node:
        left = self.unary()
        while True:
            token = self.peek()
            if token is None or token[0] != "op" or token[1] not in _BINARY_PRECEDENCE:
                return left
            precedence = _BINARY_PRECEDENCE[token[1]]
            if precedence < min_precedence:
                return left
            self.take()
            right = self.expression(precedence + 1)
            left = Node("binary", (token[1], left, right))

    def unary(self) -> Node:
        token = self.peek()
        if token in (("op", "!"), ("op", "-"), ("op", "+")):
            self.take()
            return Node("unary", (token[1], self.unary()))  # type: ignore[index]
        return self.postfix(self.primary())

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "lit":
            return Node("lit", (value,))
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args: list[Node] = []
                if self.peek() != ("op", ")"):
                    args.append(self.expression(0))
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.expression(0))
                self.expect(")")
                return Node("call", (value, tuple(args)))
            return Node("name", (value,))
        if (kind, value) == ("op", "("):
            node = self.expression(0)
            self.expect(")")
            return node
        if (kind, value) == ("op", "["):
            items: list[Node] = []
            if self.peek() != ("op", "]"):
                items.append(self.expression(0))
                while self.peek() == ("op", ","):
                    self.take()
                    items.append(self.expression(0))
            self.expect("]")
            return Node("array", tuple(items))
        raise EvaluationError(f"unexpected token {value!r}")

    def postfix(self, node: Node) -> Node:
        while True:
            token = self.peek()
            if token == ("op", "."):
                self.take()
                kind, name = self.take()
                if kind != "name":
                    raise EvaluationError(f"expected a field name after '.', found {name!r}")
                node = Node("member", (node, name))
            elif token == ("op", "["):
                self.take()
                index = self.expression(0)
                self.expect("]")
                node = Node("index", (node, index))
            else:
                return node


def parse(text: str) -> Node:
    return _Parser(tokenize(text)).parse()


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
    if _is_number(value):
        return int(value)
    if isinstance(value, str):
        try:
            return int(value, 10)
        except ValueError:
            raise EvaluationError(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None
    raise EvaluationError(f"asInt() not supported on {_type_name(value)} {value}")


def _as_float(value: Any) -> float:
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise EvaluationError(f'strconv.ParseFloat: parsing "{value}": invalid syntax') from None
    raise EvaluationError(f"asFloat() not supported on {_type_name(value)} {value}")


def _go_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def walk(node: Node) -> Iterator[Node]:
    """Every node of a parsed condition (providers use it to find literals and result accessors)."""
    yield node
    for arg in node.args:
        if isinstance(arg, Node):
            yield from walk(arg)
        elif isinstance(arg, tuple):
            for item in arg:
                if isinstance(item, Node):
                    yield from walk(item)


def result_paths(node: Node) -> list[tuple[Any, ...]]:
    """Accessor paths rooted at `result` (`result[0]` -> (0,), `result.Status` -> ("Status",))."""
    paths: list[tuple[Any, ...]] = []
    for candidate in walk(node):
        path = _path_of(candidate)
        if path is not None and path not in paths:
            paths.append(path)
    # Keep only maximal paths: `result` inside `result[0]` is not a separate accessor.
    return [p for p in paths if not any(len(q) > len(p) and q[: len(p)] == p for q in paths)]


def _path_of(node: Node) -> tuple[Any, ...] | None:
    if node.op == "name" and node.args[0] == "result":
        return ()
    if node.op == "member":
        inner = _path_of(node.args[0])
        return None if inner is None else (*inner, node.args[1])
    if node.op == "index" and node.args[1].op == "lit":
        inner = _path_of(node.args[0])
        return None if inner is None else (*inner, node.args[1].args[0])
    return None


def literals(node: Node) -> list[Any]:
    return [n.args[0] for n in walk(node) if n.op == "lit"]
