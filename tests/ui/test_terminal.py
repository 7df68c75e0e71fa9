"""Terminals as they are: NO_COLOR gives monochrome, a 16-colour terminal gets its own palette."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ptyrun import PtyApp
from uihelpers import fixture_paths

from rollout_tui.sim import Simulator

SGR = re.compile(rb"\x1b\[([0-9;]*)m")


def colours(out: bytes) -> tuple[set[str], set[str]]:
    """(basic 16-colour codes, extended 256/truecolour codes) found in the SGR sequences."""
    basic: set[str] = set()
    extended: set[str] = set()
    for match in SGR.finditer(out):
        params = match.group(1).decode().split(";")
        i = 0
        while i < len(params):
            code = params[i]
            if code in ("38", "48"):
                extended.add(";".join(params[i : i + 5]))
                i += 5 if params[i + 1 : i + 2] == ["2"] else 3
                continue
            if code.isdigit() and (30 <= int(code) <= 37 or 40 <= int(code) <= 47 or 90 <= int(code) <= 107):
                basic.add(code)
            i += 1
    return basic, extended


def run(tmp_path: Path, env: dict[str, str], *args: str) -> bytes:
    with Simulator(load=fixture_paths(), controller=False) as sim:
        kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim")
        app = PtyApp(["--kubeconfig", str(kubeconfig), *args], cols=100, rows=30, env=env)
        try:
            assert app.wait_for(b"bluegreen-demo", 30)
            app.read_for(1.5)
        finally:
            app.close()
    return bytes(app.output)


@pytest.mark.parametrize("how", ["env", "flag"])
def test_no_color_is_monochrome(tmp_path: Path, how: str) -> None:
    out = run(tmp_path, {"NO_COLOR": "1"} if how == "env" else {}, *(["--no-color"] if how == "flag" else []))
    assert colours(out) == (set(), set())
    assert b"Degraded" in out


def test_sixteen_colour_terminal_gets_the_ansi_theme(tmp_path: Path) -> None:
    out = run(tmp_path, {"TERM": "xterm", "COLORTERM": ""})
    basic, extended = colours(out)
    assert not extended  # only the terminal's own 16 colours
    assert basic
