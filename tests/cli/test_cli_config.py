"""The config file: every key, every way a file can be wrong (one line, with its line number),
unknown keys warned, ``config show`` / ``config path``, and the per-context read-only policy of
the CLI's write commands proven on the wire."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from rollout_tui.settings import (
    CONTEXT_KEYS,
    KEYS,
    TYPE_NAME,
    Settings,
    SettingsError,
    default_path,
    document,
    parse_settings,
)
from rollout_tui.ui.settings_check import problems
from tests.cli.conftest import Run
from tests.kube.conftest import RecordingProxy, proxied_kubeconfig, rollout

README = Path(__file__).resolve().parents[2] / "README.md"

FULL = """\
theme: nord
sort: name
filter: "shop, !legacy"
status-filter: attention
namespace: shop
read-only: false
favourites:
  - checkout
  - shop/cart
  - "prod-*/payments/*"
keymap:
  promote: ctrl+e
  abort: [X, ctrl+x]
contexts:
  "prod-*":
    read-only: true
    label: PROD
    color: red
  prod-eu:
    label: EU
    color: "#ff8800"
    confirm: type-name
  staging:
    confirm: button
"""


def parse(text: str) -> Settings:
    return parse_settings(text, "/etc/c.yaml")


def test_every_key_is_read() -> None:
    s = parse(FULL)
    assert (s.theme, s.sort, s.filter, s.status_filter, s.namespace) == (
        "nord",
        "name",
        "shop, !legacy",
        "attention",
        "shop",
    )
    assert s.read_only is False and s.warnings == ()
    assert s.keymap == {"promote": "ctrl+e", "abort": "X,ctrl+x"}
    assert s.favourites == ("checkout", "shop/cart", "prod-*/payments/*")
    eu, us, staging, other = (s.policy(c) for c in ("prod-eu", "prod-us", "staging", "dev"))
    # patterns and an exact entry combine, each setting only what it gives: prod-eu stays read-only
    assert (eu.read_only, eu.label, eu.color, eu.confirm) == (True, "EU", "#ff8800", TYPE_NAME)
    assert (us.read_only, us.label, us.color, us.type_name) == (True, "PROD", "red", False)
    assert (staging.read_only, staging.badge, other.badge) == (False, None, None)
    assert s.read_only_reason("prod-eu") == "config /etc/c.yaml line 16: read-only: true"
    assert s.read_only_reason("staging") == ""


@pytest.mark.parametrize(
    ("context", "namespace", "name", "pinned"),
    [
        ("any", "any", "checkout", True),
        ("any", "shop", "cart", True),
        ("any", "web", "cart", False),
        ("prod-eu", "payments", "ledger", True),
        ("staging", "payments", "ledger", False),
    ],
)
def test_favourites_match_name_namespace_and_context_patterns(
    context: str, namespace: str, name: str, pinned: bool
) -> None:
    assert parse(FULL).pinned(context, namespace, name) is pinned


def test_an_empty_or_absent_file_is_the_defaults(tmp_path: Path) -> None:
    from rollout_tui.settings import read_settings

    assert document(parse("")) == document(Settings())
    assert document(parse("# only a comment\n")) == document(Settings())
    assert read_settings(str(tmp_path / "absent.yaml")) == Settings()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("theme: [nord\n", 2, "invalid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "invalid YAML: but found another document"),
        ("- theme\n", 1, "the file: expected a mapping of keys"),
        ("\nread-only: yes please\n", 2, "read-only: expected true or false, got 'yes please'"),
        ("sort: 3\n", 1, "sort: expected a string, got int (quote it)"),
        ("sort:\n", 1, "sort: expected a string, got nothing"),
        ("favourites: checkout\n", 1, "favourites: expected a list"),
        ("favourites: [a/b/c/d]\n", 1, "'a/b/c/d' is not [context/][namespace/]name"),
        ("favourites: [shop//x]\n", 1, "is not [context/][namespace/]name"),
        ("keymap: ctrl+e\n", 1, "keymap: expected a mapping"),
        ("keymap:\n  promote: ctrl e\n", 2, "keymap.promote: expected a key like ctrl+p"),
        ("keymap:\n  promote: 3\n", 2, "keymap.promote: expected a key"),
        ("keymap:\n  promote: ''\n", 2, "keymap.promote: expected a key"),
        ("contexts: [prod]\n", 1, "contexts: expected a mapping, got a list"),
        ("contexts:\n  prod: true\n", 2, "contexts.prod: expected a mapping, got true"),
        ("contexts:\n  prod:\n    color: blurple\n", 3, "'blurple' is not a colour"),
        ("contexts:\n  prod:\n    confirm: typed\n", 3, "confirm: expected one of button, type-name"),
        ("contexts:\n  prod:\n    label: 7\n", 3, "contexts.prod.label: expected a string"),
        ("contexts:\n  1: {}\n", 2, "contexts: keys are strings"),
    ],
)
def test_a_bad_file_is_one_line_with_its_line_number(text: str, line: int, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        parse(text)
    error = str(raised.value)
    assert "\n" not in error and error.startswith(f"config /etc/c.yaml line {line}: "), error
    assert message in error


def test_unknown_and_repeated_keys_are_warnings_not_errors() -> None:
    s = parse("thme: nord\nsort: name\nsort: age\ncontexts:\n  prod:\n    readonly: true\n    label: P\n")
    assert s.sort == "age" and s.theme is None and s.policy("prod").label == "P"
    assert not s.policy("prod").read_only  # a misspelt key never silently does something else
    assert s.warnings == (
        'config /etc/c.yaml line 1: unknown key "thme" (did you mean "theme"?): ignored',
        'config /etc/c.yaml line 3: : "sort" given twice; the last one is used',
        'config /etc/c.yaml line 6: unknown key "contexts.prod.readonly" (did you mean "read-only"?): ignored',
    )


def test_ui_values_are_checked_with_their_line() -> None:
    s = parse("\ntheme: neon\nsort: sideways\nstatus-filter: Broken\n")
    errors, warnings = problems(s)
    assert [e.split(": ", 1)[0] for e in errors] == [f"config /etc/c.yaml line {n}" for n in (2, 3, 4)]
    assert "unknown theme 'neon' (available: " in errors[0] and "textual-dark" in errors[0]
    assert warnings == []


def test_keymap_unknown_ids_and_clashes_are_warned() -> None:
    s = parse("keymap:\n  promote: x\n  promot: e\n  abort: ctrl+x\n  filter: o\n")
    errors, warnings = problems(s)
    assert errors == []
    assert warnings[0].startswith("config /etc/c.yaml line 3: keymap: unknown binding id 'promot'")
    assert warnings[1:] == [
        "config /etc/c.yaml line 5: keymap: o is bound to filter and sort; only one of them keeps it"
    ]  # promote took abort's x, but abort moved away: no clash there


def test_the_readme_lists_every_key() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| config key |") :].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([^`]+)`", table, re.MULTILINE)
    assert listed == [k.name for k in KEYS] + [f"contexts.NAME.{k.name}" for k in CONTEXT_KEYS]


# --- config show / config path ------------------------------------------------------------


def test_config_show_prints_the_effective_config_that_reads_back_the_same(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(FULL)
    code, out, err = run("config", "show", "--config", str(path), "-n", "payments", "--read-only")
    assert (code, err) == (0, "")
    first, body = out.split("\n", 1)
    assert first == f"# effective config: defaults < {path} < flags (namespace, read-only)"
    shown = parse(body)
    assert (shown.namespace, shown.read_only) == ("payments", True)  # the flags won
    assert document(shown) == {**document(parse(FULL)), "namespace": "payments", "read-only": True}


def test_config_show_without_a_file_prints_the_defaults(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run("config", "show")
    assert (code, err) == (0, "")
    assert out.startswith(f"# effective config: defaults < {default_path()} (absent: defaults)\n")
    assert yaml.safe_load(out) == document(Settings())


def test_config_show_names_problems_and_resolves_the_kubeconfigs_contexts(
    tmp_path: Path, sim: Any, run: Run
) -> None:
    kc = tmp_path / "kc"
    sim.write_kubeconfig(kc, context="prod-eu")
    path = tmp_path / "c.yaml"
    path.write_text(FULL + "colour: red\nkeymap2: {}\n")
    code, out, err = run("config", "show", "--config", str(path), "--kubeconfig", str(kc))
    assert code == 0
    assert err.splitlines() == [
        f'warning: config {path} line 25: unknown key "colour": ignored',
        f'warning: config {path} line 26: unknown key "keymap2" (did you mean "keymap"?): ignored',
    ]
    assert "#   prod-eu: read-only, label EU (#ff8800), confirm type-name\n" in out
    path.write_text("sort: sideways\n")
    code, _, err = run("config", "show", "--config", str(path))
    assert (
        code == 1
        and err
        == f"error: config {path} line 1: unknown sort 'sideways' (available: " + err.split("(available: ")[1]
    )


def test_config_path_follows_xdg_and_the_flag(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert run("config", "path") == (
        0,
        f"{tmp_path}/rollout-tui/config.yaml\n",
        "(no file there: the defaults apply)\n",
    )
    (tmp_path / "mine.yaml").write_text("")
    assert run("config", "path", "--config", str(tmp_path / "mine.yaml")) == (
        0,
        f"{tmp_path}/mine.yaml\n",
        "",
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")  # the XDG spec: ignore a relative value
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert run("config", "path")[1] == f"{tmp_path}/home/.config/rollout-tui/config.yaml\n"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "cannot read it: Is a directory"),
        (lambda p: p.write_bytes(b"theme: \xff\xfe\n"), "not UTF-8 text"),
    ],
)
def test_an_unreadable_config_is_one_line(tmp_path: Path, run: Run, setup: Any, message: str) -> None:
    path = tmp_path / "c.yaml"
    setup(path)
    code, out, err = run("config", "show", "--config", str(path))
    assert (code, out) == (1, "") and err == f"error: config {path}: {message}\n"


# --- per-context read-only on the CLI's write commands ---------------------------------------


@pytest.fixture
def two_contexts(sim: Any, proxy: RecordingProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """prod (through the recording proxy) and staging, both on one simulator, in one kubeconfig."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    sim.store.create("rollouts", rollout("web"))
    prod = yaml.safe_load(
        Path(proxied_kubeconfig(sim, proxy, tmp_path / "prod.kc", context="prod")).read_text()
    )
    staging = yaml.safe_load(sim.write_kubeconfig(tmp_path / "staging.kc", context="staging").read_text())
    for section in ("clusters", "users", "contexts"):
        prod[section] += staging[section]
    (tmp_path / "kc").write_text(yaml.safe_dump(prod))
    (tmp_path / "config.yaml").write_text("contexts:\n  prod:\n    read-only: true\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "rollout-tui").mkdir()
    (tmp_path / "rollout-tui" / "config.yaml").write_text("contexts:\n  prod:\n    read-only: true\n")
    return str(tmp_path / "kc")


def test_write_commands_refuse_a_read_only_context_before_sending(
    two_contexts: str, proxy: RecordingProxy, sim: Any, run: Run, tmp_path: Path
) -> None:
    config = tmp_path / "rollout-tui" / "config.yaml"
    code, out, err = run("abort", "web", "--context", "prod", "--kubeconfig", two_contexts)
    assert (code, out) == (1, "")
    assert (
        err
        == f"error: context 'prod' is read-only (config {config} line 3: read-only: true); nothing was sent\n"
    )
    manifest = tmp_path / "ro.yaml"
    manifest.write_text(yaml.safe_dump(rollout("new")))
    code, _, err = run("create", "-f", str(manifest), "--context", "prod", "--kubeconfig", two_contexts)
    assert code == 1 and err.startswith("Error: context 'prod' is read-only")
    assert proxy.writes() == []  # nothing reached prod
    assert run("abort", "web", "--context", "staging", "--kubeconfig", two_contexts)[:2] == (
        0,
        "rollout 'web' aborted\n",
    )
    assert sim.store.get("rollouts", "default", "web")["status"]["abort"] is True
    assert (
        run("get", "rollout", "web", "--context", "prod", "--kubeconfig", two_contexts)[0] == 0
    )  # reads work
