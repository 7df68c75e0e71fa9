"""The syntax of AnalysisTemplate conditions: tokens, a small AST, and what providers read from
it (the `result` accessors and the literals a condition compares against).

Conditions come from cluster objects, i.e. from anyone who can create an AnalysisTemplate, so
they are parsed here and interpreted by ``evaluator``; nothing is ever handed to Python's eval.
The grammar is the subset of github.com/expr-lang/expr that argo-rollouts conditions use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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
            return Node("unary", (token[1], self.unary()))
        return self.postfix(self.primary())

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "lit":
            return Node("lit", (value,))
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                return Node("call", (value, self.items(")")))
            return Node("name", (value,))
        if (kind, value) == ("op", "("):
            node = self.expression(0)
            self.expect(")")
            return node
        if (kind, value) == ("op", "["):
            return Node("array", self.items("]"))
        raise EvaluationError(f"unexpected token {value!r}")

    def items(self, close: str) -> tuple[Node, ...]:
        """Comma-separated expressions up to ``close`` (call arguments, array items)."""
        items: list[Node] = []
        if self.peek() != ("op", close):
            items.append(self.expression(0))
            while self.peek() == ("op", ","):
                self.take()
                items.append(self.expression(0))
        self.expect(close)
        return tuple(items)

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
