"""Units of the text layer: Go tabwriter semantics, inert text, icon sets, watch frames."""

from __future__ import annotations

from rollout_tui.manifests import load_objects
from rollout_tui.model.icons import ASCII
from rollout_tui.model.rollout import rollout_info
from rollout_tui.render.get import render_rollout
from rollout_tui.render.safe import clean
from rollout_tui.render.tabwriter import display_width, tabwrite
from tests.fixtures.sets import RECORDED, RECORDED_AT
from tests.render.conftest import NOW


def test_tabwriter_columns_padding_and_trailing_cell() -> None:
    assert tabwrite("a\tbb\tlast\nccc\td\tx\n") == "a    bb  last\nccc  d   x\n"
    # Widths count runes, not bytes, and ignore colour escapes.
    assert tabwrite("✔ ok\tK\nlonger\tK\n") == "✔ ok    K\nlonger  K\n"
    assert tabwrite("\x1b[32m✔\x1b[0m\tK\nab\tK\n") == "\x1b[32m✔\x1b[0m   K\nab  K\n"
    assert display_width("\x1b[94mab\x1b[0m") == 2


def test_tabwriter_blocks_end_where_a_column_ends() -> None:
    # Go computes a column's width per run of consecutive lines that have that column.
    text = "a\tb\tc\nlonger\tb\nx\ty\tz\n"
    assert tabwrite(text) == "a       b  c\nlonger  b\nx       y  z\n"
    assert tabwrite("aaaa\tb\nno tabs\nc\td\n") == "aaaa  b\nno tabs\nc  d\n"


def test_clean_makes_controls_visible() -> None:
    assert clean("\x1b[2J") == "\\x1b[2J"
    assert clean("a\tb\nc") == "a b c"  # whitespace controls read as one line
    assert clean("\u202eevil") == "\\u202eevil"
    # zero-width and other invisible format characters, ALM, line separators (look-alike text)
    assert clean("a\u200bb\u2060c\ufeffd\u061ce\u2028f") == "a\\u200bb\\u2060c\\ufeffd\\u061ce f"
    assert clean("x" * 10, limit=5) == "xxxx…"
    assert clean("[bold red]x 漢字 ✔") == "[bold red]x 漢字 ✔"  # not markup here: printed as is


def test_ascii_icons(tmp_path) -> None:
    (tmp_path / "r.yaml").write_text(
        "kind: Rollout\nmetadata: {name: r, namespace: ns, uid: u, creationTimestamp: '2026-01-15T11:00:00Z'}\n"
        "spec: {replicas: 1, strategy: {canary: {steps: [{setWeight: 10}]}}}\n"
        "status: {currentStepIndex: 0, updatedReplicas: 1, availableReplicas: 1, stableRS: a, currentPodHash: b}\n"
        "---\n"
        "kind: ReplicaSet\nmetadata: {name: r-b, namespace: ns, uid: rs, ownerReferences: [{uid: u}],"
        " labels: {rollouts-pod-template-hash: b}, annotations: {rollout.argoproj.io/revision: '2'},"
        " creationTimestamp: '2026-01-15T11:30:00Z'}\n"
        "spec: {replicas: 1}\nstatus: {replicas: 1, availableReplicas: 1}\n"
    )
    objects = load_objects(tmp_path)
    info = rollout_info(objects.rollout("ns", "r"), objects)
    text = render_rollout(info, NOW, glyphs=ASCII)
    assert text.isascii()
    assert "Status:          o Progressing\n" in text
    assert "`--# revision:2" in text and "   `--= r-b" in text and "+ Healthy      30m  canary" in text


def test_color_output_only_adds_sgr_codes(monkeypatch) -> None:
    """Forcing colour (a TTY) must change nothing but the escape codes, as the plugin's ansiterm
    tabwriter ignores them when aligning."""
    import re

    monkeypatch.delenv("TERM", raising=False)  # TERM=dumb turns colour off, as in the plugin
    objects = load_objects(RECORDED / "experiment-analysis")
    rollout = objects.rollout("jesse-test", "rollout-experiment-analysis")
    info = rollout_info(rollout, objects)
    colored = render_rollout(info, RECORDED_AT, color=True)
    assert "\x1b[32m✔\x1b[0m" in colored and "\x1b[33mcanary\x1b[0m" in colored
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == render_rollout(info, RECORDED_AT, color=False)
    # As the plugin: an uncoloured word is still wrapped in ESC[0m, and names are coloured by role.
    canary_rs = f"rollout-experiment-analysis-{rollout['status']['currentPodHash']}"
    assert "\x1b[0m॥\x1b[0m" not in colored and f"\x1b[33m{canary_rs}\x1b[0m" in colored
    monkeypatch.setenv("TERM", "dumb")
    assert render_rollout(info, RECORDED_AT, color=True) == render_rollout(info, RECORDED_AT, color=False)
