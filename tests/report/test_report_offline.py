"""HTML reports load nothing from outside: every remote image becomes a link, nothing sits in a load position,
and a Content-Security-Policy forbids loads as a second line of defence (issue 14, point 8)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workbench.services.report import ReportOptions, render, render_from_store
from workbench.services.report.html import STYLE, content_security_policy, markdown_to_html_body
from report_helpers import rich_incident

# Attributes a browser fetches on its own when the page opens (per element, or anywhere).
LOAD_ATTRS = {
    "src",
    "srcset",
    "poster",
    "data",
    "background",
    "lowsrc",
    "dynsrc",
    "codebase",
    "archive",
    "imagesrcset",
    "xlink:href",
    "action",
    "formaction",
    "manifest",
    "ping",
    "icon",
}
LOAD_TAGS = {
    "img",
    "script",
    "iframe",
    "frame",
    "object",
    "embed",
    "link",
    "base",
    "video",
    "audio",
    "source",
    "track",
    "picture",
    "svg",
    "image",
    "use",
    "input",
    "form",
    "applet",
    "portal",
    "style",
}


class LoadFinder(HTMLParser):
    """Every place in a document from which a browser would load something, with what it would load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.styles: list[str] = []
        self.csp: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "style":
            self._in_style = True
        elif tag in LOAD_TAGS:
            self.loads.append(f"<{tag}>")
        for name, value in attrs:
            if name in LOAD_ATTRS:
                self.loads.append(f"{tag} {name}={value}")
            if name == "style" and re.search(r"url\s*\(|@import", value or "", re.I):
                self.loads.append(f"{tag} style={value}")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.loads.append("meta refresh")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.csp.append(values.get("content") or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def loads_of(doc: str) -> LoadFinder:
    finder = LoadFinder()
    finder.feed(doc)
    finder.close()
    for css in finder.styles:  # our one stylesheet: no url(), no @import, no web font
        assert not re.search(r"url\s*\(|@import|@font-face", css, re.I), css
    return finder


def links_of(doc: str) -> list[tuple[str, str]]:
    return [(m.group(1), html.unescape(m.group(2))) for m in re.finditer(r'<a href="([^"]*)"[^>]*>(.*?)</a>', doc)]


# Hostile narrative: every way a markdown author (or a paste from a web page) can ask for a remote load.
HOSTILE = [
    "![diagram](https://cdn.example.net/a.png)",
    "![Title case](HTTPS://CDN.EXAMPLE.NET/B.PNG)",
    "![proto-relative](//tracker.example.net/pixel.gif)",
    '![titled](https://cdn.example.net/c.png "a title")',
    "![ref-style][pic]\n\n[pic]: https://cdn.example.net/d.png",
    '<img src="https://cdn.example.net/e.png" alt="raw img">',
    "<IMG SRC=https://cdn.example.net/f.png ALT=upper>",
    '<img alt="srcset only" srcset="https://cdn.example.net/g.png 1x, https://cdn.example.net/g2.png 2x">',
    "<img src=//tracker.example.net/h.gif>",
    '<p align="center"><img width="3414" alt="load spike" src="https://github.com/user-attachments/x" /></p>',
    '<picture><source srcset="https://cdn.example.net/i.webp"><img src="https://cdn.example.net/i.png"></picture>',
    '<div style="background-image:url(https://cdn.example.net/j.png)">styled</div>',
    '<link rel="stylesheet" href="https://cdn.example.net/k.css">',
    '<script src="https://cdn.example.net/l.js"></script>',
    '<iframe src="https://evil.example.net/m"></iframe>',
    '<video poster="https://cdn.example.net/n.png"><source src="https://cdn.example.net/n.mp4"></video>',
    '<object data="https://cdn.example.net/o.swf"></object><embed src="https://cdn.example.net/p.swf">',
    '<svg><image href="https://cdn.example.net/q.png"/></svg>',
    "<style>@import url(https://cdn.example.net/r.css); body{background:url(//cdn.example.net/s.png)}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example.net/">',
    '<base href="https://evil.example.net/">',
    "![data uri](data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=)",
    "| shot | note |\n|---|---|\n| ![in a table](https://cdn.example.net/t.png) | <img src=https://cdn.example.net/u.png> |",
    '<img src="&#104;ttps://cdn.example.net/v.png" alt="entity">',
    '<img\nsrc="https://cdn.example.net/w.png"\nalt="multi-line">',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_loads_nothing(payload):
    narrative = f"## Technical Analysis\n\n{payload}\n"
    doc = render(rich_incident(), narrative, ReportOptions(format="html"))
    finder = loads_of(doc)
    assert finder.loads == [], finder.loads
    assert len(finder.csp) == 1


def test_remote_images_become_links_with_their_alt_text():
    body = markdown_to_html_body(
        '![Writer load](https://cdn.example.net/a.png) <IMG SRC="//cdn.example.net/b.png" ALT="retry storm"> '
        '<img alt="timeline" srcset="https://cdn.example.net/c.png 2x">'
    )
    assert links_of(body) == [
        ("https://cdn.example.net/a.png", "image: Writer load"),
        ("https://cdn.example.net/b.png", "image: retry storm"),
        ("https://cdn.example.net/c.png", "image: timeline"),
    ]
    assert 'class="image-link" rel="noopener noreferrer nofollow"' in body


def test_local_and_data_images_become_text_not_loads():
    body = markdown_to_html_body(
        "![chart](../assets/chart.png) ![pixel](data:image/png;base64,AAAA) ![js](javascript:alert(1))"
    )
    assert "[image: chart] (../assets/chart.png)" in body
    assert "[image: pixel]" in body and "data:" not in body and "[image: js]" in body
    assert loads_of(body).loads == [] and not links_of(body)


def test_the_policy_forbids_every_load_and_allows_only_our_style():
    policy = content_security_policy()
    assert policy.startswith("default-src 'none';")
    assert "img-src 'none'" in policy and "base-uri 'none'" in policy and "unsafe-inline" not in policy
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(f"\n{STYLE}\n".encode()).digest()).decode()
    doc = render(rich_incident(), "", ReportOptions(format="html"))
    assert f"style-src 'sha256-{digest}'" in doc
    # The hash must be of the exact text between the style tags, or the browser drops our own styles.
    inner = re.search(r"<style>(.*?)</style>", doc, re.S).group(1)
    assert base64.b64encode(hashlib.sha256(inner.encode()).digest()).decode() == digest
    # The policy comes before anything it governs.
    assert doc.index("Content-Security-Policy") < doc.index("<style>")


def test_twelve_remote_images_in_a_store_all_become_links(example_store):
    """A store whose narrative holds twelve remote images, in every form the example data uses."""
    store = example_store
    incident_id = "2025-08-05-claude-quality-degradation"
    folder = next(Path(store.root, "incidents").glob(f"*/*/{incident_id}"))
    images = [f"![shot {n}](https://images.example.net/{n}.png)" for n in range(1, 7)]
    images += [f'<img width="10" alt="raw {n}" src="https://github.example.net/assets/{n}" />' for n in range(7, 13)]
    narrative = folder / "postmortem.md"
    narrative.write_text(narrative.read_text() + "\n## Screenshots\n\n" + "\n\n".join(images) + "\n")
    doc = render_from_store(store, incident_id, ReportOptions(format="html"))
    assert loads_of(doc).loads == []
    image_links = [(href, text) for href, text in links_of(doc) if text.startswith("image: ")]
    assert len(image_links) == 12
    assert ("https://images.example.net/1.png", "image: shot 1") in image_links
    assert ("https://github.example.net/assets/12", "image: raw 12") in image_links


@pytest.mark.parametrize("audience", ["internal", "external"])
def test_every_bundled_example_renders_without_a_load(example_store, audience):
    for record in example_store.load_all().records:
        doc = render_from_store(example_store, record.id, ReportOptions(format="html", audience=audience))
        finder = loads_of(doc)
        assert finder.loads == [] and len(finder.csp) == 1, record.id
