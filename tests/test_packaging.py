"""The wheel works on its own: built with ``python -m build`` from the project's files, installed
without its source into a fresh venv (dependencies borrowed from this environment, no editable
install on the path), it runs ``rollout-tui --version`` and a headless ``--demo`` from an
unrelated directory, painting the demo's clusters and rollouts (scenarios, stylesheet and the
simulator all came from the package).

The demo exits by itself through Textual's own screenshot switch (TEXTUAL_SCREENSHOT: take a
screenshot after N seconds and exit) with the headless driver: no test-only flag in the product.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

SKIP_DIRS = {
    ".git",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "screenshots",
}


def _copy_project(target: Path) -> None:
    """The files a clone has (no build leftovers, no egg-info from an editable install)."""
    ignore = shutil.ignore_patterns(*SKIP_DIRS, "*.egg-info", "*.pyc")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO_ROOT / name, target / name)
    shutil.copytree(REPO_ROOT / "rollout_tui", target / "rollout_tui", ignore=ignore)


def _run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(argv)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    )
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    _copy_project(source)
    dist = tmp_path_factory.mktemp("dist")
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)],
        source,
    )
    (built,) = dist.glob("rollout_tui-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the wheel; the dependencies come from this environment's site-packages
    (a plain path entry, so its .pth files, among them an editable install's, are not run)."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], venv)
    python = venv / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv
        ).stdout.strip()
    )
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            "-q",
            str(wheel),
        ],
        venv,
    )
    return venv


def test_the_wheel_carries_every_file_of_the_package(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "rollout_tui").rglob("*")
        if path.is_file() and not SKIP_DIRS & set(path.parts) and path.suffix != ".pyc"
    }
    assert expected - names == set()
    entry_points = (
        zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    )
    for script in ("rollout-tui", "kubectl-rollout_tui", "kubectl_complete-rollout_tui"):
        assert f"{script} = " in entry_points


def test_the_installed_wheel_runs_from_anywhere(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KUBECONFIG")}
    where = _run(
        [str(installed / "bin" / "python"), "-c", "import rollout_tui; print(rollout_tui.__file__)"],
        tmp_path,
        env,
    )
    assert where.stdout.startswith(str(installed))  # the wheel's copy, not the source checkout
    version = _run([str(installed / "bin" / "rollout-tui"), "--version"], tmp_path, env)
    assert version.stdout.startswith("rollout-tui ")
    assert _run(
        [str(installed / "bin" / "rollout-tui"), "version", "--short"], tmp_path, env
    ).stdout.startswith("rollout-tui: v")


def test_the_installed_wheel_paints_the_demo(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KUBECONFIG")}
    env.update(
        TEXTUAL_DRIVER="textual.drivers.headless_driver:HeadlessDriver",
        TEXTUAL_SCREENSHOT="4",
        TEXTUAL_SCREENSHOT_LOCATION=str(tmp_path),
        TEXTUAL_SCREENSHOT_FILENAME="demo.svg",
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    subprocess.run(
        [str(installed / "bin" / "rollout-tui"), "--demo"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=True,
    )
    painted = (tmp_path / "demo.svg").read_text()
    for text in ("east", "west", "checkout", "storefront"):
        assert text in painted
