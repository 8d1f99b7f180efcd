"""HTML output: self-contained, same content, and nothing executable survives (checked on the parsed tree)."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from report_helpers import NARRATIVE, rich_incident

from workbench.services.report import ReportOptions, render
from workbench.services.report.html import markdown_to_html_body, render_html

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "a",
    "img",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "br",
    "hr",
    "span",
    "del",
}
ALLOWED_ATTRS = {
    "href",
    "src",
    "alt",
    "title",
    "id",
    "class",
    "rel",
    "lang",
    "charset",
    "name",
    "content",
    "start",
    "http-equiv",
}


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parsed(doc: str) -> list[tuple[str, dict[str, str | None]]]:
    c = Collector()
    c.feed(doc)
    c.close()
    return c.tags


def assert_inert(doc: str) -> None:
    tags = parsed(doc)
    for tag, attrs in tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> survived"
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRS, f"attribute {name}= on <{tag}> survived"
            assert not name.startswith("on")
            if name in ("href", "src"):
                scheme = urlsplit((value or "").strip()).scheme.lower()
                allowed = {"http", "https", "mailto"} if name == "href" else {"http", "https"}
                assert scheme in allowed, f"{name}={value!r}"
            if name == "id":
                assert value and all(ch.isalnum() or ch == "-" for ch in value) and value.startswith("h-")
    assert sum(1 for t, _ in tags if t == "style") <= 1


XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;vascript:alert(1))",
    "[click](&amp;#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](feed:javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](file:///etc/passwd)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '[t](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "[t](https://ok.example 'x\" onmouseover=\"alert(1)')",
    '![a" onerror="alert(1)](https://ok.example/i.png "t\\" onload=\\"x")',
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    '## Heading {#"><script>alert(1)</script>}',
    '<h2 id="x" onclick=alert(1)>raw heading</h2>',
    '```js" onmouseover="alert(1)\ncode\n```',
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
    "<!-- --><script>alert(1)</script><!-- -->",
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">mixed</a>',
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_corpus_in_narrative_leaves_nothing_executable(payload):
    narrative = f"## Technical Analysis\n\n{payload}\n\n## Other\n\n{payload}\n"
    incident = rich_incident(summary=payload.replace("\n", " "))
    doc = render(incident, narrative, ReportOptions(format="html"))
    assert_inert(doc)
    assert_inert(markdown_to_html_body(payload))


def test_safe_links_survive_and_unsafe_ones_keep_their_text():
    body = markdown_to_html_body(
        "[ok](https://example.org/a?b=1) [m](mailto:x@example.org) [bad](javascript:x) "
        "![pic](https://example.org/p.png) ![evil](data:image/png;base64,AA)"
    )
    hrefs = [a.get("href") for t, a in parsed(body) if t == "a" and a.get("class") != "image-link"]
    assert hrefs == ["https://example.org/a?b=1", "mailto:x@example.org"]
    assert not [t for t, _ in parsed(body) if t == "img"]  # images load nothing: see test_report_offline.py
    assert "bad" in body and "[image: evil]" in body


def test_heading_ids_are_generated_not_injected():
    body = markdown_to_html_body("## Same\n\n## Same\n\n## <b>x</b> {#custom}\n")
    ids = [a["id"] for t, a in parsed(body) if t.startswith("h")]
    assert ids[:2] == ["h-same", "h-same-2"]
    assert all(i.startswith("h-") for i in ids)


def test_html_is_self_contained_and_renders_the_same_content():
    doc = render(rich_incident(), NARRATIVE, ReportOptions(format="html"))
    tags = parsed(doc)
    assert doc.startswith("<!DOCTYPE html>")
    assert [t for t, _ in tags].count("style") == 1
    assert not any(t in ("link", "script") for t, _ in tags)
    text = html.unescape(doc)
    for heading in [
        "Executive Summary",
        "Timeline",
        "Detection &amp; Initial Response".replace("&amp;", "&"),
        "Technical Analysis",
        "Root Causes & Contributing Factors",
        "Lessons Learned",
        "Action Items",
    ]:
        assert f">{heading}</h2>" in text
    assert "<strong>1200 users</strong>" in doc
    assert "<em>Load eval lacked long-context traffic</em>" in doc
    assert '<pre class="mermaid">' in doc
    assert "<td>Deploy of <code>vllm==0.6.0</code> | canary skipped</td>" in doc


def test_render_html_escapes_the_title():
    doc = render_html("x", "<script>alert(1)</script>")
    assert "<title>&lt;script&gt;" in doc
    assert_inert(doc)
