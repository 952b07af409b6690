"""`kcorpus report`: one self-contained HTML page with every section, byte-identical for the same inputs."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

import kcorpus as kc
from drops import drop_rows, write_drop

SECTIONS = ["documents", "new", "rising", "topics", "duplicates"]


class Page(HTMLParser):
    """What a browser would fetch or run, the section ids, and whether the tags nest."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.scripts = 0
        self.ids: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if attrs.get(name) and not str(attrs[name]).startswith("#"):
                self.fetched.append(str(attrs[name]))
        if tag == "section":
            self.ids.append(str(attrs.get("id")))
        if tag not in ("meta", "br", "img", "link", "input"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # <path .../>: nothing to close
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


@pytest.fixture(scope="module")
def drop(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    rows = drop_rows()
    write_drop(root / "archive.csv", rows)
    new = [
        dict(r, text=r["text"] + " 올해 처음 양자암호 시범사업이 시작되었다. 양자암호 기술이 주목받았다.")
        for r in drop_rows(seed=8, months=(7,), per_month=6)
    ]
    new.append(dict(rows[3], id="reissue", date="2024-07-20"))
    write_drop(root / "july.csv", new)
    return root


def test_the_page_has_every_section_and_fetches_nothing(cli, drop, tmp_path):
    fit = cli(
        "topics",
        drop / "archive.csv",
        "--id-column",
        "id",
        "--k",
        "3",
        "--unit",
        "document",
        "--save",
        tmp_path / "m",
        "-q",
    )
    assert fit.exit_code == 0, fit.stderr
    args = [
        "report",
        drop / "july.csv",
        "--id-column",
        "id",
        "--reference",
        drop / "archive.csv",
        "--load",
        tmp_path / "m",
    ]
    first = cli(*args, "-o", tmp_path / "a.html")
    assert first.exit_code == 0, first.stderr
    assert re.search(r"kcorpus: wrote .*a\.html \([0-9,]+ bytes\)", first.stderr)
    assert cli(*args, "-o", tmp_path / "b.html", "-q").exit_code == 0
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    page = Page()
    page.feed(html)
    assert page.ids == SECTIONS and page.scripts == 0 and page.fetched == [] and page.errors == []
    assert not re.search(r"https?://(?!www\.w3\.org/)", html)  # only SVG namespace names, never fetched
    assert "양자암호" in html and "<svg" in html
    assert re.search(r"<td>양자암호</td><td>07-[0-9]:[0-9]+</td>", html)  # concordance lines cited doc:line
    assert "<td>reissue</td><td>01-3</td>" in html  # the planted reissue: a copy of archive document 01-3


def test_the_api_gives_the_same_page(cli, drop, tmp_path):
    corpus = kc.read_corpus(drop / "july.csv", id_column="id")
    page = kc.report(corpus)
    result = cli("report", drop / "july.csv", "--id-column", "id", "-q")
    assert result.exit_code == 0 and result.stdout == page
    assert cli("report", drop / "july.csv", "-o", tmp_path / "x.csv").exit_code == 2


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("chromium"), reason="no chromium here (Debian package chromium)")
def test_a_headless_browser_renders_the_page(drop, tmp_path):
    corpus = kc.read_corpus(drop / "july.csv", id_column="id")
    (tmp_path / "r.html").write_text(kc.report(corpus, reference=kc.read_corpus(drop / "archive.csv", id_column="id")))
    done = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", (tmp_path / "r.html").as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and all(f'id="{s}"' in done.stdout for s in SECTIONS) and "양자암호" in done.stdout


def test_concordance_lines_of_a_pdf_are_cited_with_their_page(tmp_path):
    from kcorpus.api_report import _lines
    from typeset import Page, typeset

    pdf = tmp_path / "drop.pdf"
    first = "지역 협력 사업은 주민의 참여로 이루어진다. 사업의 성과는 해마다 공개한다."
    second = "올해는 이웃 도시와의 협력을 넓히고 청년 단체의 제안을 받아 새 사업을 시작한다."
    typeset(pdf, [Page([first]), Page([second])])
    corpus = kc.read_corpus(pdf, cache_dir=tmp_path / "cache")
    cites = _lines(corpus, ["협력"])["cite"].tolist()
    assert cites and all(re.fullmatch(r"drop\.pdf:[12]:[0-9]+", cite) for cite in cites), cites
    assert {cite.split(":")[1] for cite in cites} == {"1", "2"}  # line 1 of page 1 and of page 2: two cites
