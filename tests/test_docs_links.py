"""Every relative link in README.md, CONTRIBUTING.md and docs/*.md points to a file that exists and, with an
anchor, to a heading that file has (GitHub's anchors). Links in code spans and fenced code are not links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parent.parent


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _inline_text(token: Token) -> str:
    """A heading's text as GitHub renders it: code spans keep their content, markup and raw HTML go."""
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def _slug(text: str) -> str:
    """GitHub's anchor for a heading's text: lower-case, punctuation dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a markdown file's headings; a repeated heading gets -1, -2, ... as on GitHub."""
    tokens = _parser().parse(path.read_text(encoding="utf-8"))
    taken: set[str] = set()
    counts: dict[str, int] = {}
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type != "heading_open":
            continue
        base = _slug(_inline_text(inline))
        anchor = base
        while anchor in taken:
            counts[base] = counts.get(base, 0) + 1
            anchor = f"{base}-{counts[base]}"
        taken.add(anchor)
    return taken


def _targets(path: Path) -> Iterator[str]:
    for token in _parser().parse(path.read_text(encoding="utf-8")):
        for child in token.children or []:
            if child.type == "link_open":
                yield str(child.attrs.get("href", ""))
            elif child.type == "image":
                yield str(child.attrs.get("src", ""))


def broken_links(path: Path) -> list[str]:
    """Each relative link of the file that names a missing file or a heading its target does not have."""
    broken = []
    headings: dict[Path, set[str]] = {}  # each target file parsed once, not once per link to it
    for target in _targets(path):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # a web address, mailto:, data: ...
        dest = (path.parent / unquote(parts.path)).resolve() if parts.path else path
        if not dest.exists():
            broken.append(f"{path.name}: {target} (no such file)")
        elif parts.fragment and dest.suffix == ".md":
            if dest not in headings:
                headings[dest] = anchors(dest)
            if unquote(parts.fragment) in headings[dest]:
                continue
            broken.append(f"{path.name}: {target} (no such heading)")
    return broken


def _documents() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_relative_link_resolves() -> None:
    broken = [b for doc in _documents() for b in broken_links(doc)]
    assert broken == []


def test_the_documents_have_links_to_check() -> None:
    # Guards the test above: a parser that found no links would pass it on any README.
    assert any(True for _ in _targets(ROOT / "README.md"))


def test_a_broken_link_is_named(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## Section two\n\n## Dependencies\n\n## Dependencies\n")
    page = tmp_path / "README.md"
    page.write_text(
        "# Title\n\n"
        "## Where start -> list goes\n\n"
        "[fine](docs/other.md#section-two) [fine too](#where-start---list-goes) [the second](docs/other.md#dependencies-1)\n"
        "[web](https://example.com/missing.md) [file only](docs/other.md)\n\n"
        "[gone](docs/missing.md) [no heading](docs/other.md#section-three) [no such here](#nowhere)\n"
        "[no third](docs/other.md#dependencies-2)\n\n"
        "Not links: `[code](docs/missing2.md)`\n\n"
        "```md\n[fenced](docs/missing3.md)\n## Not a heading\n```\n"
    )
    assert broken_links(page) == [
        "README.md: docs/missing.md (no such file)",
        "README.md: docs/other.md#section-three (no such heading)",
        "README.md: #nowhere (no such heading)",
        "README.md: docs/other.md#dependencies-2 (no such heading)",
    ]
    assert "not-a-heading" not in anchors(page)


def test_a_link_from_docs_back_to_the_readme(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text("# Postmortem Workbench\n\n## Search and `performance`\n")
    page = tmp_path / "docs" / "performance.md"
    page.write_text("[back](../README.md#search-and-performance) [wrong](../README.md#search)\n")
    assert broken_links(page) == ["performance.md: ../README.md#search (no such heading)"]
