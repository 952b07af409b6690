"""plots.py: Korean font (no missing glyphs), PNG/SVG/HTML by suffix, fixed pixel size, byte-identical SVG."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from kcorpus.errors import UsageError
from kcorpus.render import plots

HANGUL = "도시외교와 인간안보 — 서울시, 북한, 코로나19"


def keyness_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": ["서울.txt"] * 3 + ["북한.txt"] * 3,
            "term": ["도시외교", "서울시", "북한", "대북제재", "北", "蚂蚁集团"],
            "g2": [120.5, 80.25, -30.0, 99.0, 45.5, 12.0],
        }
    )


@pytest.fixture
def bundled_fonts_only(monkeypatch):
    """Charts drawn as on a machine with no CJK system font (a pip install ships none)."""
    monkeypatch.setattr(plots, "SYSTEM_CJK_FAMILIES", ())
    plots.font_families.cache_clear()
    plots._drawable_codepoints.cache_clear()
    yield
    plots.font_families.cache_clear()
    plots._drawable_codepoints.cache_clear()


def test_importing_plots_does_not_import_matplotlib():
    code = "import sys, kcorpus.render.plots; assert 'matplotlib' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_hangul_draws_with_nanumgothic_and_no_missing_glyphs(tmp_path):
    from matplotlib import font_manager

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with plots.house_style():
            fig = plots.new_figure(4, 2)
            ax = fig.subplots()
            ax.set_title(HANGUL)
            ax.barh([0, 1], [1.5, -2.0])
            ax.set_yticks([0, 1], ["인간안보", "대북제재"])
            text = ax.title
            used = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
            plots.save_figure(fig, tmp_path / "hangul.png")
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing from font" in m or "Glyph" in m], messages
    assert text.get_fontname() == "NanumGothic"
    assert used.endswith("NanumGothic.ttf")


def test_characters_no_font_has_become_question_marks_without_warnings(tmp_path, bundled_fonts_only):
    assert plots.drawable("蚂蚁集团 北 서울 US$") == "??集? 北 서울 US\\$"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.keyness_chart(keyness_frame(), tmp_path / "k.png", panel="doc")
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_png_has_the_expected_pixel_size_and_is_not_blank(tmp_path):
    import matplotlib.image

    path = plots.keyness_chart(keyness_frame(), tmp_path / "k.png", panel="doc")
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (450, 800)  # two panels of 4 x 4.5 inches at 100 dpi
    assert plots.keyness_chart_size(2) == (800, 450)
    assert plots.keyness_chart_size(4) == (1200, 900)
    assert image[..., :3].min() < 0.5 and image[..., :3].std() > 0.05


def test_svg_is_byte_identical_across_runs(tmp_path):
    first = plots.keyness_chart(keyness_frame(), tmp_path / "a.svg", panel="doc").read_bytes()
    second = plots.keyness_chart(keyness_frame(), tmp_path / "b.svg", panel="doc").read_bytes()
    assert first == second
    assert b"<dc:date>" not in first
    other = plots.keyness_chart(keyness_frame().assign(g2=lambda f: f["g2"] * 2), tmp_path / "c.svg", panel="doc")
    assert other.read_bytes() != first


@pytest.mark.slow
def test_svg_is_byte_identical_across_processes(tmp_path):
    code = (
        "import sys, pandas as pd; from kcorpus.render import plots; "
        "f = pd.DataFrame({'doc': ['가', '가'], 'term': ['서울', '北'], 'g2': [3.0, -1.5]}); "
        "plots.keyness_chart(f, sys.argv[1], panel='doc')"
    )
    outputs = []
    for name in ("p1.svg", "p2.svg"):
        subprocess.run([sys.executable, "-c", code, str(tmp_path / name)], check=True)
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_html_is_a_standalone_page_with_the_svg(tmp_path):
    path = plots.keyness_chart(keyness_frame(), tmp_path / "k.html", panel="doc", title="키워드")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<svg" in page and "</svg>" in page and "<?xml" not in page
    assert page.rstrip().endswith("</html>")


@pytest.mark.parametrize("name", ["chart.pdf", "chart.jpg", "chart"])
def test_other_suffixes_are_usage_errors(tmp_path, name):
    with pytest.raises(UsageError, match=r"\.png, \.svg or \.html"):
        plots.save_figure(plots.new_figure(1, 1), tmp_path / name)


def test_missing_directory_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        plots.check_plot_path(tmp_path / "no" / "chart.png")


def test_style_never_leaks_into_global_matplotlib_settings(tmp_path):
    import matplotlib

    before = matplotlib.rcParams["font.family"]
    plots.keyness_chart(keyness_frame(), tmp_path / "k.png", panel="doc")
    assert matplotlib.rcParams["font.family"] == before


def test_empty_table_still_draws_a_chart(tmp_path):
    empty = pd.DataFrame(columns=["doc", "term", "g2"])
    path = plots.keyness_chart(empty, tmp_path / "empty.png", panel="doc")
    assert path.stat().st_size > 0


def test_labels_the_fonts_cannot_draw_are_warned_about_once(tmp_path, bundled_fonts_only):
    import warnings

    from kcorpus.errors import KcorpusWarning
    from kcorpus.render.plots import keyness_chart

    frame = pd.DataFrame({"doc": ["a", "a", "a"], "term": ["蚂蚁集团", "拼多多", "협력"], "g2": [9.0, 5.0, 3.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keyness_chart(frame, tmp_path / "k.png", panel="doc")
    ours = [w for w in caught if issubclass(w.category, KcorpusWarning)]
    assert len(ours) == 1
    assert "蚂蚁集团" in str(ours[0].message) and "拼多多" in str(ours[0].message)
    assert "협력" not in str(ours[0].message)
    assert "fonts-noto-cjk" in str(ours[0].message)  # and how to draw them


@pytest.mark.skipif(
    not any(plots.SYSTEM_CJK_FILES.search(p.name) for p in Path("/usr/share/fonts").rglob("*")),
    reason="no CJK system font installed (apt install fonts-wqy-microhei draws the ideographs)",
)
def test_a_system_cjk_font_draws_what_nanumgothic_lacks(tmp_path):
    plots.font_families.cache_clear()
    plots._drawable_codepoints.cache_clear()
    assert len(plots.font_families()) == 3 and plots.font_families()[0] == "NanumGothic"
    assert plots.drawable("蚂蚁集团 北 서울") == "蚂蚁集团 北 서울"
    frame = pd.DataFrame({"doc": ["a", "a"], "term": ["蚂蚁集团", "협력"], "g2": [9.0, 3.0]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.keyness_chart(frame, tmp_path / "k.png", panel="doc")
    assert not [w for w in caught if "cannot draw" in str(w.message) or "Glyph" in str(w.message)]


def test_cli_says_which_labels_show_as_question_marks(cli, tmp_path, bundled_fonts_only):
    result = cli("keywords", "--plot", tmp_path / "k.png", "--quiet")
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "cannot draw" in line]
    assert len(lines) == 1 and lines[0].startswith("kcorpus: warning: ") and "蚂蚁集团" in lines[0]


def test_concordance_plot_of_a_document_named_with_an_emoji_ends_with_one_warning(tmp_path):
    """The dispersion chart's labels go through drawable(); and a warning from another library (matplotlib's
    "Glyph missing") is shown once: shown while warnings were still recorded, it was recorded again and
    again, and the command grew until the kernel killed it (21 GB)."""
    doc = tmp_path / "보고서 🎉.txt"
    doc.write_text("반도체 수출이 늘었다. 반도체 산업을 지원한다.\n", encoding="utf-8")
    chart = tmp_path / "d.png"
    out = subprocess.run(
        [sys.executable, "-m", "kcorpus", "concordance", "반도체", str(doc), "--plot", str(chart), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "KCORPUS_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert out.returncode == 0, out.stderr
    assert chart.stat().st_size > 0
    assert "Glyph" not in out.stderr
    assert [line for line in out.stderr.splitlines() if "cannot draw" in line] != []


def test_a_warning_of_another_library_in_a_command_is_shown_once_and_the_command_ends():
    code = (
        "import warnings, typer\n"
        "from typer.testing import CliRunner\n"
        "from kcorpus.cli.options import command\n"
        "app = typer.Typer()\n"
        "@command(app, 'warns')\n"
        "def warns() -> None:\n"
        "    warnings.warn('from another library', UserWarning)\n"
        "@command(app, 'quiet')\n"
        "def quiet() -> None:\n"
        "    pass\n"
        "result = CliRunner().invoke(app, ['warns'])\n"
        "print(result.exit_code, result.stderr.count('from another library'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.split() == ["0", "1"], out.stderr


def test_a_topic_share_timeline_leaves_out_the_undated_group():
    import pandas as pd

    from kcorpus.render.trend_plot import topic_share_figure

    table = pd.DataFrame(
        {
            "group": ["2024-W01", "2024-W02", "(none)"],
            "topic": [1, 1, 1],
            "share": [0.2, 0.4, 0.9],
            "low": [0.1, float("nan"), 0.8],
            "high": [0.3, float("nan"), 1.0],
        }
    )
    fig = topic_share_figure(table, pd.DataFrame({"topic": [1], "terms": ["탄소, 배출"]}))
    (line,) = fig.axes[0].get_lines()
    assert line.get_ydata().tolist() == [0.2, 0.4]  # (none) is not a later period
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2024-W01", "2024-W02"]
