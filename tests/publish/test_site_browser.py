"""The published site in a real browser: Debian's headless Chromium driven by Playwright, with every network
request outside the site blocked and recorded. Opened from disk (file://) and over http on 127.0.0.1.

Skipped only when Chromium is not installed (`.ci/run` installs it). Screenshots of the index and one report
at 1280x800 and 390x844 go to test-artifacts/browser/ (git-ignored) for a person to look at."""

from __future__ import annotations

import functools
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from workbench.services.publish import PublishOptions, publish
from workbench.services.report import ReportOptions, render_from_store
from workbench.services.report.mermaid import blocks

from .conftest import PRIVATE_ID, RAG_ID, RARE

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run does it when run as root)"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CLAUDE = "2025-08-05-claude-quality-degradation"
OPENAI = "2024-12-11-openai-telemetry-control-plane-outage"


@pytest.fixture
def site(site_store, tmp_path):
    out = tmp_path / "site"
    result = publish(site_store, out, PublishOptions())
    assert PRIVATE_ID not in result.published
    return out, site_store, result


@pytest.fixture
def http_root(site):
    out = site[0]
    handler = functools.partial(QuietHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Watched:
    """A browser page whose requests outside `allowed` are aborted, with every request and error kept."""

    def __init__(self, browser, allowed: str, width: int = 1280, height: int = 800):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

        def gate(route):
            url = route.request.url
            if url.startswith(allowed):
                route.continue_()
            else:
                self.blocked.append(url)
                route.abort()

        self.page.route("**/*", gate)

    def clean(self) -> None:
        assert self.blocked == [], f"requests left the page: {self.blocked}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def visible_ids(page) -> list[str]:
    return sorted(
        page.eval_on_selector_all("table.incidents tbody tr:not([hidden])", "rs => rs.map(r => r.dataset.id)")
    )


def test_index_lists_every_public_incident_and_filters_work_from_disk(site, browser):
    out, store, result = site
    w = Watched(browser, f"file://{out}/")
    w.page.goto((out / "index.html").as_uri())
    page = w.page
    assert visible_ids(page) == sorted(result.published)
    assert PRIVATE_ID not in page.content()
    assert page.inner_text("#count") == f"{len(result.published)} of {len(result.published)} incidents"

    incidents = {r.id: r.incident for r in store.load_all().records if r.id != PRIVATE_ID}
    page.select_option("#filter-severity", "P0")
    assert visible_ids(page) == sorted(i for i, x in incidents.items() if x.severity == "P0")
    page.select_option("#filter-severity", "")
    page.select_option("#filter-stage", "analysis")
    assert RAG_ID in visible_ids(page)
    assert visible_ids(page) == sorted(i for i, x in incidents.items() if x.stage == "analysis")
    page.select_option("#filter-stage", "")
    page.select_option("#filter-mode", "rag-retrieval.index-staleness")
    assert visible_ids(page) == [RAG_ID]
    assert "mode=rag-retrieval.index-staleness" in page.url  # a filtered view can be linked
    page.select_option("#filter-mode", "")
    page.select_option("#filter-year", "2024")
    assert visible_ids(page) == sorted(i for i, x in incidents.items() if x.started_on and x.started_on.year == 2024)
    page.select_option("#filter-year", "")
    page.fill("#filter-text", "telemetry")
    assert visible_ids(page) == [OPENAI]
    page.fill("#filter-text", "")
    # Sorting by title puts rows in title order.
    page.click("th button[data-sort=title]")
    titles = page.eval_on_selector_all("table.incidents tbody tr", "rs => rs.map(r => r.dataset.title)")
    assert titles == sorted(titles)
    # From disk, search explains itself instead of failing.
    assert "served over http" in page.inner_text("#search")
    # A link with filters in the fragment opens filtered.
    page.goto((out / "index.html").as_uri() + "#severity=P2")
    page.reload()
    assert visible_ids(page) == sorted(i for i, x in incidents.items() if x.severity == "P2")
    assert all(u.startswith("file://") for u in w.requests)
    w.clean()


def test_report_diagrams_render_as_svg_and_screenshots(site, browser):
    out, store, _ = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expected = len(blocks(render_from_store(store, CLAUDE, ReportOptions())))
    for width, height in ((1280, 800), (390, 844)):
        for name, path in (("index", out / "index.html"), ("report", out / "incidents" / f"{CLAUDE}.html")):
            w = Watched(browser, f"file://{out}/", width, height)
            w.page.goto(path.as_uri())
            if name == "report":
                svgs = w.page.locator("figure.diagram svg")
                assert svgs.count() == expected > 0
                for i in range(expected):
                    box = svgs.nth(i).bounding_box()
                    assert box and box["width"] > 100 and box["height"] > 50  # drawn, not an empty element
                assert w.page.locator("pre.mermaid").count() == 0
                # The phone layout scales diagrams to the screen instead of overflowing it.
                assert w.page.evaluate("document.documentElement.scrollWidth") <= width + 1
            w.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"))
            assert (ARTIFACTS / f"{name}-{width}x{height}.png").stat().st_size > 5000
            w.clean()
    # Charts on the learning and taxonomy pages are SVG too.
    w = Watched(browser, f"file://{out}/")
    w.page.goto((out / "learning.html").as_uri())
    assert w.page.locator("svg.chart").count() >= 3
    w.clean()


def test_search_over_http_finds_the_right_incident(site, browser, http_root):
    w = Watched(browser, http_root)
    page = w.page
    page.goto(http_root + "index.html")
    page.wait_for_selector(".pagefind-ui__search-input", timeout=15000)
    page.fill(".pagefind-ui__search-input", RARE)
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "as => as.map(a => a.getAttribute('href'))")
    # One page (its sections may show as sub-results, with #anchors).
    assert {link.split("#")[0] for link in links} == {f"/incidents/{RAG_ID}.html"}
    page.click(".pagefind-ui__result-title .pagefind-ui__result-link")
    page.wait_for_url(f"**/incidents/{RAG_ID}.html")
    # A word of the private incident finds nothing: it was never published.
    page.goto(http_root + "index.html")
    page.wait_for_selector(".pagefind-ui__search-input", timeout=15000)
    page.fill(".pagefind-ui__search-input", "heliotropesecret")
    # (a locator, not wait_for_function: the page's CSP forbids evaluating strings, as it should). Pagefind may
    # offer loose matches for a word it does not know; none of them is the private incident.
    page.locator(".pagefind-ui__message", has_text=re.compile(r"results? for")).wait_for(timeout=15000)
    links = page.eval_on_selector_all(".pagefind-ui__result-link", "as => as.map(a => a.getAttribute('href'))")
    assert not [link for link in links if PRIVATE_ID in link]
    # Filters work over http as well.
    page.select_option("#filter-mode", "rag-retrieval.index-staleness")
    assert visible_ids(page) == [RAG_ID]
    assert all(u.startswith(http_root) for u in w.requests)
    w.clean()
