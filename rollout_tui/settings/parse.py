"""Reading config.yaml: YAML with line numbers, checked against the schema (settings.schema).

A wrong type, a bad value or invalid YAML is a `SettingsError`: one line naming the file, the
line and the key. An unknown or repeated key is a warning (kept in `Settings.warnings`), never
an error, so a file written for a newer rollout-tui still works.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from rich.color import Color, ColorParseError
from yaml.nodes import MappingNode, Node, ScalarNode

from rollout_tui.settings.schema import CONTEXT_KEYS, KEYS, Key, Settings

_TOP = {key.name: key for key in KEYS}
_CONTEXT = {key.name: key for key in CONTEXT_KEYS}


class SettingsError(ValueError):
    """A config file that cannot be used, in one line: where, which key, what is wrong."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line = path, line
        super().__init__(f"config {path}{f' line {line}' if line else ''}: {message}")


def read_settings(path: str, required: bool = False) -> Settings:
    """The settings in the file at `path`; defaults when it does not exist and is not `required`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise SettingsError(path, None, "no such file") from None
        return Settings()
    except UnicodeDecodeError:
        raise SettingsError(path, None, "not UTF-8 text") from None
    except OSError as exc:
        raise SettingsError(path, None, f"cannot read it: {exc.strerror or exc}") from None
    return parse_settings(text, path)


def parse_settings(text: str, path: str) -> Settings:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SettingsError(path, mark.line + 1 if mark else None, f"invalid YAML: {problem}") from None
    if root is None or (isinstance(root, ScalarNode) and root.value == ""):
        return Settings(path=path)
    parser = _Parser(path)
    values = parser.top(root)
    return Settings(path=path, **values, lines=parser.lines, warnings=tuple(parser.warnings))


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list) else type(value).__name__


class _Parser:
    def __init__(self, path: str) -> None:
        self.path = path
        self.lines: dict[str, int] = {}
        self.warnings: list[str] = []
        self._loader = yaml.SafeLoader("")

    def fail(self, node: Node, key: str, message: str) -> SettingsError:
        return SettingsError(self.path, _line(node), f"{key}: {message}")

    def warn(self, node: Node, message: str) -> None:
        self.warnings.append(f"config {self.path} line {_line(node)}: {message}")

    def value(self, node: Node, key: str) -> Any:
        try:
            return self._loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(node, key, f"invalid YAML: {getattr(exc, 'problem', exc)}") from None

    def entries(self, node: Node, where: str, known: dict[str, Key] | None) -> list[tuple[str, Node, Node]]:
        """(name, key node, value node) of a mapping, unknown keys warned and left out."""
        if isinstance(node, ScalarNode) and node.value in ("", "~", "null"):
            return []
        if not isinstance(node, MappingNode):
            got = _describe(self.value(node, where or "the file"))
            expected = "a mapping" if where else "a mapping of keys (theme:, keymap:, contexts: ...)"
            raise self.fail(node, where or "the file", f"expected {expected}, got {got}")
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            name = self.value(key_node, where)
            if not isinstance(name, str):
                raise self.fail(key_node, where, f"keys are strings, got {_describe(name)}")
            if name in found:
                self.warn(key_node, f'{where}: "{name}" given twice; the last one is used')
            if known is not None and name not in known:
                close = difflib.get_close_matches(name, list(known), n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                self.warn(key_node, f'unknown key "{_dotted(where, name)}"{hint}: ignored')
                continue
            found[name] = (key_node, value_node)
        return [(name, key_node, value_node) for name, (key_node, value_node) in found.items()]

    def top(self, root: Node) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key_node, node in self.entries(root, "", _TOP):
            self.lines[name] = _line(key_node)
            if name == "keymap":
                out["keymap"] = self.keymap(node)
            elif name == "contexts":
                out["contexts"] = self.contexts(node)
            elif name == "favourites":
                out["favourites"] = self.favourites(node)
            elif name == "rings":
                out["rings"] = self.rings(node)
            else:
                out[name.replace("-", "_")] = self.scalar(node, _TOP[name], name)
        return out

    def scalar(self, node: Node, key: Key, where: str) -> Any:
        value = self.value(node, where)
        if value is None and key.default is None:
            return None
        if key.kind == "bool" and not isinstance(value, bool):
            raise self.fail(node, where, f"expected true or false, got {_describe(value)}")
        if key.kind == "string" and not isinstance(value, str):
            raise self.fail(node, where, f"expected a string, got {_describe(value)} (quote it)")
        if key.choices and value not in key.choices:
            raise self.fail(node, where, f"expected one of {', '.join(key.choices)}, got {_describe(value)}")
        return value

    def favourites(self, node: Node) -> tuple[str, ...]:
        value = self.value(node, "favourites")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(node, "favourites", "expected a list of [context/][namespace/]name patterns")
        for pattern in value:
            parts = pattern.split("/")
            if len(parts) > 3 or not all(parts):
                raise self.fail(node, "favourites", f"{pattern!r} is not [context/][namespace/]name")
        return tuple(value)

    def rings(self, node: Node) -> tuple[Any, ...]:
        """As written: what a ring means is model.ring_config's to check (ring_problems)."""
        value = self.value(node, "rings")
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(
                node, "rings", f"expected a list of rings (contexts: [...]), got {_describe(value)}"
            )
        return tuple(value)

    def keymap(self, node: Node) -> dict[str, str]:
        keymap = {}
        for binding, key_node, value_node in self.entries(node, "keymap", None):
            where = f"keymap.{binding}"
            self.lines[where] = _line(key_node)
            value = self.value(value_node, where)
            keys = (
                value
                if isinstance(value, list)
                else str(value).split(",")
                if isinstance(value, str)
                else None
            )
            if not keys or not all(isinstance(k, str) and k.strip() and " " not in k.strip() for k in keys):
                raise self.fail(value_node, where, "expected a key like ctrl+p, or keys like X,ctrl+x")
            keymap[binding] = ",".join(k.strip() for k in keys)
        return keymap

    def contexts(self, node: Node) -> tuple[tuple[str, dict[str, Any]], ...]:
        policies = []
        for pattern, key_node, value_node in self.entries(node, "contexts", None):
            self.lines[f"contexts.{pattern}"] = _line(key_node)
            policies.append((pattern, self.policy(pattern, value_node)))
        return tuple(policies)

    def policy(self, pattern: str, node: Node) -> dict[str, Any]:
        """The policy fields one entry sets (field name -> value)."""
        values: dict[str, Any] = {}
        for name, key_node, value_node in self.entries(node, f"contexts.{pattern}", _CONTEXT):
            where = f"contexts.{pattern}.{name}"
            self.lines[where] = _line(key_node)
            value = self.scalar(value_node, _CONTEXT[name], where)
            if name == "color" and value:
                try:
                    Color.parse(value)
                except ColorParseError:
                    raise self.fail(
                        value_node, where, f"{value!r} is not a colour (red, #ff8800...)"
                    ) from None
            values[name.replace("-", "_")] = value
        return values


def _dotted(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
