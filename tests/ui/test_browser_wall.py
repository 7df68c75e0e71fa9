"""The wall in a browser: `rollout-tui --wall --serve` in real headless Chromium (Debian's
`chromium`). The page shows the fleet, every key sent to it reaches no write to the cluster, and a
non-loopback address is refused without --serve-public."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyte
import pytest
from browser import Browser, chromium, clean_env
from uihelpers import fixture_paths

from rollout_tui.sim import Simulator
from tests.conftest import REPO_ROOT

SCREENSHOT = "wall-browser-1600x1000.png"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def executable() -> str:
    found = chromium()
    if found is None:
        cannot = os.environ.get("ROLLOUT_TUI_NO_CHROMIUM")  # .ci/run tried to install it and could not
        if cannot:
            pytest.skip(f"headless Chromium cannot be installed: {cannot}")
        reason = "headless Chromium not installed (apt-get install chromium; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@contextmanager
def serving(kubeconfig: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rollout_tui", "--kubeconfig", str(kubeconfig), "--wall",
         "--serve", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(), start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    assert resp.status == 200
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    why = proc.stderr.read() if proc.stderr else ""
                    raise AssertionError(f"--serve did not come up: {why}") from None
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and every visit's wall
        proc.wait(15)


def render(data: bytes, sent: list[Any]) -> list[str]:
    sizes = [m[1] for m in sent if isinstance(m, list) and m and m[0] == "resize"]
    width, height = (sizes[-1]["width"], sizes[-1]["height"]) if sizes else (80, 24)
    screen = pyte.Screen(width, height)
    pyte.ByteStream(screen).feed(data)
    return list(screen.display)


async def wait_for_screen(page: Browser, predicate: Any, timeout: float = 60.0) -> list[str]:
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = render(await page.received(), await page.sent())
        if predicate("\n".join(lines)):
            return lines
        time.sleep(0.3)
    raise AssertionError("the page never showed it:\n" + "\n".join(lines))


async def test_the_wall_in_a_browser_shows_the_fleet_and_sends_no_write(
    executable: str, tmp_path: Path, request_log: Any
) -> None:
    with Simulator(load=fixture_paths(), controller=False) as sim:
        kubeconfig = sim.write_kubeconfig(tmp_path / "kubeconfig", context="sim")
        with serving(kubeconfig) as url:
            page = Browser(executable, tmp_path / "profile")
            try:
                await page.open(url + "?fontsize=14")
                lines = await wait_for_screen(
                    page, lambda text: "canary-demo-weights" in text and " live" in text
                )
                text = "\n".join(lines)
                assert "bluegreen-demo" in text and "need you" in text
                await page.screenshot(tmp_path / SCREENSHOT)
                assert (tmp_path / SCREENSHOT).stat().st_size > 10_000
                if os.environ.get("ROLLOUT_TUI_SCREENSHOTS"):  # regenerate the README's picture
                    shutil.copy(tmp_path / SCREENSHOT, REPO_ROOT / "screenshots" / SCREENSHOT)
                # every action key, the view keys, Enter, Esc and arrows: a wall writes nothing
                await page.focus_terminal()
                await page.press("pPxyzRuia/fo!nc?m")
                for key, code in (("Enter", 13), ("Escape", 27), ("ArrowDown", 40), ("Tab", 9)):
                    await page.key(key, code)
                await page.press("y")
                time.sleep(1.5)
                assert len([m for m in await page.sent() if m[0] == "stdin"]) >= 10  # the keys got there
                assert request_log.requests, "the wall's reads reached the simulator"
                assert request_log.writes() == []
            finally:
                await page.close()


def test_serving_beyond_loopback_needs_the_explicit_flag(tmp_path: Path) -> None:
    port = free_port()
    refused = subprocess.run(
        [sys.executable, "-m", "rollout_tui", "--wall", "--serve", f"0.0.0.0:{port}"],
        capture_output=True, text=True, timeout=60, env=clean_env(),
    )  # fmt: skip
    assert refused.returncode != 0
    assert "--serve-public" in refused.stderr and "Traceback" not in refused.stderr


def test_a_malformed_serve_address_is_one_line_not_a_traceback() -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "rollout_tui", "--wall", "--serve", "8080"],
        capture_output=True, text=True, timeout=60, env=clean_env(),
    )  # fmt: skip
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == [
        "error: --serve wants HOST:PORT (e.g. 127.0.0.1:8080), not '8080'"
    ]
