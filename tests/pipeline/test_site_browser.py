"""The data steward's site in a real browser (headless Chromium, driven by Playwright).

The demo pipeline (seed 7, 80 courses) is ingested, built, checked, its meetings are
prepared and the site is written; Chromium then opens the site from disk with every
non-file request aborted, and:

- every page renders with no failed request and no console error, and every link
  resolves (the file exists; a ``#fragment`` names an element of that page);
- a planted defect of the generator (an ORS/SDQ answer outside the scale, with its
  file and record in the exports' manifest) can be followed from the quality page to
  its failing row in 3 clicks, and on to the deck figure it affects;
- no HTML file the pipeline wrote (site and quality report) refers to the network.

Chromium is the system browser (``make system-deps`` installs it); Playwright's own
browser download is not used.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import sync_playwright

from checks.settings import CheckSettings
from datadialog.config_load import load_config
from datadialog.db import connect
from demo import generate
from pipeline.demo_run import demo_meetings
from pipeline.meeting import prepare_meetings
from pipeline.quality import run_quality
from pipeline.site import write_site
from transforms.ingest import ingest_files
from transforms.refresh import build_database

AS_OF = date(2026, 10, 31)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NETWORK = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("site")
    config = load_config()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATADIALOG_PSEUDONYM_KEY", "site-test-key-5d1c")
        manifest = generate(base / "exports", seed=7, courses=80, fmt="mixed", as_of=AS_OF)
        db = base / "demo.duckdb"
        con = connect(db)
        try:
            ingest_files(con, list(manifest.paths), config)
        finally:
            con.close()
        build_database(db, config, as_of=AS_OF)
        con = connect(db)
        try:
            run_quality(con, config, settings=CheckSettings.from_config(
                config, errors_block=False), out_dir=base / "quality", due_weeks=4)
        finally:
            con.close()
        prepare_meetings(str(db), config, demo_meetings(config, AS_OF), base / "outbox")
        con = connect(db, read_only=True)
        try:
            write_site(con, config, base / "site", outbox=base / "outbox",
                       due_dir=base / "quality" / "due")
        finally:
            con.close()
    return {"base": base, "defects": manifest.defects}


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "chromium is not installed: run `make system-deps` (as root)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


class Watched:
    """A page with the network blocked, recording failed requests and console errors."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.problems: list[str] = []
        self.blocked: list[str] = []
        self.context.route(re.compile(r"^(?!file:).*"), self._block)
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)  # 2 shared cores: a page may wait for CPU
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda exc: self.problems.append(str(exc)))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))

    def _block(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def close(self):
        self.context.close()


def _local(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def test_every_page_renders_offline_and_every_link_resolves(built, browser):
    site = built["base"] / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    w = Watched(browser)
    try:
        for path in pages:
            w.page.goto(path.as_uri())
            if path.parent == site:  # the root index sends the browser on to da/index.html
                # (wait for it: a next goto would abort that navigation, a failed request)
                w.page.wait_for_url("**/da/index.html")
            else:
                assert w.page.locator("h1").inner_text().strip(), path
                # the stylesheet was applied: the header bar is coloured
                colour = w.page.eval_on_selector(
                    "header", "h => getComputedStyle(h).backgroundColor")
                assert colour == "rgb(31, 95, 139)", path
            hrefs = w.page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
            for href in hrefs:
                assert href.startswith("file://"), (path, href)
                target = _local(href)
                assert target.exists(), (path.name, href)
                fragment = urlparse(href).fragment
                if fragment and target.suffix == ".html":
                    text = target.read_text(encoding="utf-8")
                    assert f'id="{fragment}"' in text, (path.name, href)
    finally:
        w.close()
    assert w.problems == []
    assert w.blocked == []


def test_planted_defect_from_quality_page_to_row_and_figure(built, browser):
    defect = next(d for d in built["defects"] if d["kind"] == "out_of_range")
    w = Watched(browser)
    try:
        page = w.page
        page.goto((built["base"] / "site" / "index.html").as_uri())
        page.wait_for_url("**/da/index.html")
        # click 1: the rule in the quality page's rule table
        page.locator("table a", has_text="Svar uden for skalaen").first.click()
        assert page.url.endswith("/da/rule-out_of_range.html")
        assert "Sådan rettes det" in page.inner_text("main")
        # click 2: the failing row from the planted file and record
        source = f"{defect['file']}, række {defect['rows'][0]}"
        row = page.locator("tbody tr", has_text=source)
        assert row.count() == 1
        row.locator("td").first.locator("a").click()
        assert re.search(r"#row-\d+$", page.url)
        assert page.locator("tr:target").inner_text() == row.inner_text()
        # click 3: the deck figure the row affects, in the lineage
        figure = row.locator("td").last.locator("a").first
        title = figure.get_attribute("title")  # the figure's full title (the text is cut)
        figure.click()
        assert "/da/lineage.html#fig-" in page.url
        section = page.locator("section:target")
        assert title in section.inner_text()
        assert defect["file"] in section.inner_text()  # the file that fed it, with checksum
        assert re.search(r"[0-9a-f]{64}", section.inner_text())
        # and on to the figure on its team or intervention page
        section.locator("a").first.click()
        assert re.search(r"/da/(intervention|team|organisation)-.+\.html#fig-", page.url)
        assert page.locator(".figure:target").count() == 1
    finally:
        w.close()
    assert w.problems == [] and w.blocked == []


def test_english_switch_leads_to_the_same_page(built, browser):
    w = Watched(browser)
    try:
        w.page.goto((built["base"] / "site" / "da" / "due.html").as_uri())
        w.page.locator("header a", has_text="English").click()
        assert w.page.url.endswith("/en/due.html")
        assert w.page.locator("h1").inner_text() == "Due list"
        assert w.page.locator("html").get_attribute("lang") == "en"
    finally:
        w.close()


def test_no_html_the_pipeline_writes_refers_to_the_network(built):
    files = sorted((built["base"] / "site").rglob("*.html"))
    files += sorted((built["base"] / "quality").glob("*.html"))
    assert files
    offenders = [f.name for f in files if NETWORK.search(f.read_text(encoding="utf-8"))]
    assert offenders == []
