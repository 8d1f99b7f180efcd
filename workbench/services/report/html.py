"""The report as one self-contained HTML file, rendered with mistune.

Narrative text is written by people and may be pasted from anywhere, so the renderer trusts none
of it: raw HTML is escaped (`escape=True`), only http/https/mailto links survive (images: http/https),
and heading ids are generated here from the heading text, never taken from the input. No scripts
are emitted; Mermaid blocks appear as their source text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import mistune

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f-\x9f]+")

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.7rem;border-bottom:2px solid #d0d7de;padding-bottom:.3rem}
h2{font-size:1.3rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.1rem}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px;font-size:.9em}
pre{background:#f6f8fa;padding:.8rem;overflow:auto;border-radius:6px}
pre code{background:none;padding:0}
pre.mermaid{border-left:4px solid #8250df}
blockquote{border-left:4px solid #d0d7de;margin:0;padding:0 1rem;color:#57606a}
em{color:#6e4c00}
@media print{body{max-width:none;margin:0}}
""".strip()


def allowed_url(url: str, schemes: frozenset[str]) -> str | None:
    """The URL when its scheme is allowed, else None. Entities and control characters are resolved
    first, so `&#106;avascript:` or `java\\tscript:` are seen as what a browser would see."""
    decoded = _CONTROL_RE.sub("", html.unescape(html.unescape(url)))
    try:
        scheme = urlsplit(decoded).scheme.lower()
    except ValueError:
        return None
    if scheme not in schemes:
        return None
    return decoded


def heading_id(text: str, taken: dict[str, int]) -> str:
    plain = re.sub(r"<[^>]*>", "", text)
    slug = re.sub(r"[^a-z0-9]+", "-", html.unescape(plain).lower()).strip("-")[:60] or "section"
    n = taken.get(slug, 0)
    taken[slug] = n + 1
    return f"h-{slug}" + (f"-{n + 1}" if n else "")


class SafeRenderer(mistune.HTMLRenderer):
    def __init__(self) -> None:
        super().__init__(escape=True)
        self._ids: dict[str, int] = {}

    def link(self, text: str, url: str, title: str | None = None) -> str:
        safe = allowed_url(url, LINK_SCHEMES)
        if safe is None:
            return f'<span class="dropped-link">{text}</span>'
        attrs = f' href="{html.escape(safe, quote=True)}" rel="noopener noreferrer nofollow"'
        if title:
            attrs += f' title="{html.escape(html.unescape(title), quote=True)}"'
        return f"<a{attrs}>{text}</a>"

    def image(self, text: str, url: str, title: str | None = None) -> str:
        alt = html.escape(html.unescape(re.sub(r"<[^>]*>", "", text)), quote=True)
        safe = allowed_url(url, IMAGE_SCHEMES)
        if safe is None:
            return f'<span class="dropped-image">[image: {alt}]</span>'
        attrs = f' src="{html.escape(safe, quote=True)}" alt="{alt}"'
        if title:
            attrs += f' title="{html.escape(html.unescape(title), quote=True)}"'
        return f"<img{attrs} />"

    def heading(self, text: str, level: int, **attrs: object) -> str:
        # Any id from the input is ignored; ours is built from the text and holds only [a-z0-9-].
        return f'<h{level} id="{heading_id(text, self._ids)}">{text}</h{level}>\n'

    def block_code(self, code: str, info: str | None = None) -> str:
        lang = (info or "").strip().split(None, 1)[0] if (info or "").strip() else ""
        if lang == "mermaid":
            return f'<pre class="mermaid">{html.escape(code)}</pre>\n'
        cls = re.sub(r"[^A-Za-z0-9_+-]", "", lang)
        attr = f' class="language-{cls}"' if cls else ""
        return f"<pre><code{attr}>{html.escape(code)}</code></pre>\n"

    def inline_html(self, html_text: str) -> str:
        # Table cells carry line breaks as <br>; that one tag is allowed, everything else is shown as text.
        if re.fullmatch(r"<br\s*/?>", html_text, re.I):
            return "<br>"
        return html.escape(html_text)

    def block_html(self, html_text: str) -> str:
        return f"<p>{html.escape(html_text.strip())}</p>\n"


def markdown_to_html_body(markdown: str) -> str:
    md = mistune.create_markdown(escape=True, renderer=SafeRenderer(), plugins=["table", "strikethrough"])
    return str(md(markdown))


def render_html(markdown: str, title: str) -> str:
    body = markdown_to_html_body(markdown)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        f"<main>\n{body}</main>\n</body>\n</html>\n"
    )
