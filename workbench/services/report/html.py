"""The report as one self-contained HTML file, rendered with mistune.

Narrative text is written by people and may be pasted from anywhere, so the renderer trusts none
of it: raw HTML is escaped (`escape=True`), only http/https/mailto links survive, and heading ids are
generated here from the heading text, never taken from the input. No scripts are emitted; Mermaid blocks
appear as their source text.

Opening the file loads nothing: no <img>, no stylesheet link, no font, nothing with a src. An image in the
narrative (markdown `![alt](url)` or a raw `<img>`, whatever the case of its attributes, `srcset` included)
becomes a plain link "image: alt" to where it lives, which the reader can follow on purpose; an image with a
relative path becomes its alt text and path (the report travels without the files); `data:` and other schemes
become the alt text alone. A Content-Security-Policy meta tag (`default-src 'none'`, the one inline style
allowed by its hash) blocks any load a future change might let through.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import mistune

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_RAW_IMG_RE = re.compile(r"<img\b[^>]*>", re.I)
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


def image_html(alt: str, url: str, title: str | None = None) -> str:
    """An image as something that loads nothing: a link to a remote one, the path of a local one."""
    alt = html.escape(html.unescape(re.sub(r"<[^>]*>", "", alt)).strip(), quote=True)
    label = f"image: {alt}" if alt else "image"
    decoded = _CONTROL_RE.sub("", html.unescape(html.unescape(url)))
    if decoded.startswith("//"):  # protocol-relative: a remote host all the same
        decoded = "https:" + decoded
    safe = allowed_url(decoded, IMAGE_SCHEMES)
    if safe is not None:
        attrs = f' href="{html.escape(safe, quote=True)}" class="image-link" rel="noopener noreferrer nofollow"'
        if title:
            attrs += f' title="{html.escape(html.unescape(title), quote=True)}"'
        return f"<a{attrs}>{label}</a>"
    try:
        parts = urlsplit(decoded)
    except ValueError:
        parts = None
    if parts is not None and not parts.scheme and not parts.netloc and decoded.strip():
        return f'<span class="image-ref">[{label}] ({html.escape(decoded.strip())})</span>'
    return f'<span class="dropped-image">[{label}]</span>'


class _ImgAttrs(HTMLParser):
    """The attributes of one raw <img> tag, names lower-cased by the parser (SRC, Alt, SrcSet...)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and not self.attrs:
            self.attrs = {k: v or "" for k, v in attrs}

    handle_startendtag = handle_starttag


def raw_html(chunk: str) -> str:
    """Raw HTML from the narrative: shown as text, except that each <img> becomes what image_html makes."""
    out, last = [], 0
    for match in _RAW_IMG_RE.finditer(chunk):
        out.append(html.escape(chunk[last : match.start()]))
        parser = _ImgAttrs()
        parser.feed(match.group(0))
        parser.close()
        attrs = parser.attrs
        url = attrs.get("src") or (attrs.get("srcset") or "").strip().split(" ")[0].rstrip(",")
        out.append(image_html(attrs.get("alt", ""), url, attrs.get("title")))
        last = match.end()
    out.append(html.escape(chunk[last:]))
    return "".join(out)


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
        return image_html(text, url, title)

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
        return raw_html(html_text)

    def block_html(self, html_text: str) -> str:
        return f"<p>{raw_html(html_text.strip())}</p>\n"


def markdown_to_html_body(markdown: str) -> str:
    md = mistune.create_markdown(escape=True, renderer=SafeRenderer(), plugins=["table", "strikethrough"])
    return str(md(markdown))


def content_security_policy() -> str:
    """Nothing may load: no images, scripts, fonts, frames or fetches; only our own inline style, by hash."""
    digest = base64.b64encode(hashlib.sha256(f"\n{STYLE}\n".encode()).digest()).decode()
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; base-uri 'none'; form-action 'none'"


def render_html(markdown: str, title: str) -> str:
    body = markdown_to_html_body(markdown)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n"
        f"<main>\n{body}</main>\n</body>\n</html>\n"
    )
