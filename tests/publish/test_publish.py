"""`workbench publish`: what is published (privacy), how (redaction, inert remote content, CSP, diagrams as
SVG) and incrementally (a second publish rewrites only what changed)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.services.publish import MANIFEST, PublishError, PublishOptions, publish
from workbench.services.report import ReportOptions, render_from_store
from workbench.services.report.mermaid import blocks
from workbench.store import Store

from .conftest import PRIVATE_ID, RAG_ID, RARE, SECRET_WORD

CLAUDE = "2025-08-05-claude-quality-degradation"


def all_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html")) if "pagefind" not in p.parts)


def test_publishes_every_public_incident_and_never_a_private_one(site_store, tmp_path, capsys):
    site = tmp_path / "site"
    code = main(["--store", str(site_store.root), "publish", str(site), "--no-search"])
    out, err = capsys.readouterr()
    assert code == 0, err
    public = sorted(i for i in site_store.ids() if i != PRIVATE_ID)
    assert sorted(p.stem for p in (site / "incidents").glob("*.html")) == public
    index = (site / "index.html").read_text()
    assert sorted(re.findall(r'<tr data-id="([^"]+)"', index)) == public
    assert SECRET_WORD not in all_text(site) and PRIVATE_ID not in all_text(site)
    assert f"left out 1 private incident(s) (tagged `private`): {PRIVATE_ID}" in err
    assert f"Published {len(public)} incident(s)" in out

    # Asked for by name, it is published; a name the store does not have is an error, not a silent skip.
    result = publish(site_store, site, PublishOptions(include_private=frozenset({PRIVATE_ID}), search=False))
    assert PRIVATE_ID in result.published and (site / "incidents" / f"{PRIVATE_ID}.html").is_file()
    code = main(["--store", str(site_store.root), "publish", str(site), "--include-private", "nope"])
    assert code == 2 and "names no incident of this store: nope" in capsys.readouterr().err
    # Published again without it: its page goes away.
    result = publish(site_store, site, PublishOptions(search=False))
    assert f"incidents/{PRIVATE_ID}.html" in result.removed and not (site / "incidents" / f"{PRIVATE_ID}.html").exists()


def test_a_private_store_is_published_only_when_named(tmp_path, capsys):
    from workbench.services.bundled import default_taxonomy_text

    store = Store.init(tmp_path / "vault", default_taxonomy_text(), private=True)
    code = main(["--store", str(store.root), "publish", str(tmp_path / "site"), "--no-search"])
    assert code == 2 and "vault is a private store" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()
    code = main(
        ["--store", str(store.root), "publish", str(tmp_path / "site"), "--no-search", "--private-store", "vault"]
    )
    assert code == 0 and (tmp_path / "site" / "index.html").is_file()


def test_external_audience_redacts_like_the_report(site_store, tmp_path):
    site = tmp_path / "site"
    publish(site_store, site, PublishOptions(audience="external", search=False))
    text = all_text(site)
    assert "Dana Kim" not in text and "Retrieval on-call" in text
    # The page holds the report's own redacted text (the same entry point as `report --audience external`).
    md = render_from_store(site_store, RAG_ID, ReportOptions(audience="external"))
    assert "Retrieval on-call" in md and "Dana Kim" not in md
    internal = tmp_path / "internal"
    publish(site_store, internal, PublishOptions(search=False))
    assert "Dana Kim" in (internal / "incidents" / f"{RAG_ID}.html").read_text()


def test_remote_content_is_inert_and_every_page_has_a_csp(site_store, tmp_path):
    site = tmp_path / "site"
    publish(site_store, site, PublishOptions(search=False))
    page = (site / "incidents" / f"{RAG_ID}.html").read_text()
    assert "<img" not in page
    assert '<a class="remote" href="https://grafana.example.com/render/d.png"' in page  # a link, not a load
    assert 'href="https://wiki.example.com/rag" rel="noopener noreferrer nofollow"' in page
    for path in site.rglob("*.html"):
        html = path.read_text()
        assert "Content-Security-Policy" in html and "default-src 'none'" in html, path
        # Nothing but the site's own files: no src/href to another origin except plain links (<a>).
        for tag, url in re.findall(r'<(script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', html):
            assert not re.match(r"^(?!data:)[a-z]+:", url), (path, tag, url)


def test_every_report_diagram_is_inline_svg(site_store, tmp_path):
    site = tmp_path / "site"
    result = publish(site_store, site, PublishOptions(search=False))
    assert result.diagrams_as_text == 0
    for incident_id in site_store.ids():
        if incident_id == PRIVATE_ID:
            continue
        md = render_from_store(site_store, incident_id, ReportOptions())
        page = (site / "incidents" / f"{incident_id}.html").read_text()
        assert page.count('<figure class="diagram"><svg') == len(blocks(md)) > 0, incident_id
        assert '<pre class="mermaid">' not in page
    page = (site / "incidents" / f"{CLAUDE}.html").read_text()
    assert 'aria-label="Causal chain (fault tree)"' in page and 'aria-label="Fishbone by category"' in page
    # Marker ids are unique on a page (several diagrams share it).
    ids = re.findall(r'<marker id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == 2
    learning = (site / "learning.html").read_text()
    assert 'aria-label="Failure modes over time"' in learning and 'aria-label="Recurring failure modes"' in learning
    assert 'aria-label="Incidents per quarter by severity"' in (site / "index.html").read_text()


def test_second_publish_rewrites_only_what_changed(site_store, tmp_path):
    site = tmp_path / "site"
    first = publish(site_store, site, PublishOptions(search=False))
    assert first.rendered == len(first.published)
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    old = 1_000_000_000_000_000_000  # set every mtime back, so "unchanged" cannot be a same-tick accident
    for path in pages:
        os.utime(path, ns=(old, old))

    again = publish(site_store, site, PublishOptions(search=False))
    assert again.written == [] and again.removed == [] and again.rendered == 0
    assert all(p.stat().st_mtime_ns == old for p in pages)

    record = site_store.load(RAG_ID)
    site_store.save(
        record,
        record.incident.model_copy(update={"title": "RAG answers drifted (renamed)"}),
        where="scoping",
        what="rename",
    )
    third = publish(site_store, site, PublishOptions(search=False))
    assert third.rendered == 1
    assert sorted(third.written) == sorted([f"incidents/{RAG_ID}.html", "index.html", "taxonomy.html"])
    assert (site / "incidents" / f"{CLAUDE}.html").stat().st_mtime_ns == old
    assert "RAG answers drifted (renamed)" in (site / "index.html").read_text()
    manifest = json.loads((site / MANIFEST).read_text())
    assert set(manifest["files"]) == {str(p.relative_to(site)) for p in site.rglob("*.html")} | {
        "assets/site.css",
        "assets/site.js",
    }

    # A page deleted by hand is written again even though its inputs did not change.
    (site / "incidents" / f"{CLAUDE}.html").unlink()
    fourth = publish(site_store, site, PublishOptions(search=False))
    assert fourth.written == [f"incidents/{CLAUDE}.html"]


def test_unchanged_incidents_are_not_decoded_again(site_store, tmp_path, monkeypatch):
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    publish(site_store, site, PublishOptions(search=False, audience="external"))
    decoded: list[str] = []
    decode = Store.decode_folder

    def spy(self, folder, toml, md):
        decoded.append(folder.name)
        return decode(self, folder, toml, md)

    monkeypatch.setattr(Store, "decode_folder", spy)
    again = publish(site_store, site, PublishOptions(search=False, audience="external"))
    assert decoded == [] and again.written == []

    record = site_store.load(RAG_ID)
    site_store.save(record, record.incident.model_copy(update={"severity": "P1"}), where="scoping", what="raise")
    manifest = json.loads((site / MANIFEST).read_text())
    manifest["incidents"][f"incidents/{CLAUDE}.html"]["row"] = "damaged"  # a damaged entry is decoded afresh
    (site / MANIFEST).write_text(json.dumps(manifest))
    decoded.clear()
    third = publish(site_store, site, PublishOptions(search=False, audience="external"))
    assert sorted(decoded) == sorted([RAG_ID, CLAUDE])
    assert third.rendered == 1  # the damaged entry's page itself was still current

    # Nothing of a private incident is kept in the published folder, and asking for it by id once does not
    # publish it the next time.
    assert SECRET_WORD not in (site / MANIFEST).read_text()
    publish(
        site_store, site, PublishOptions(search=False, audience="external", include_private=frozenset({PRIVATE_ID}))
    )
    assert (site / "incidents" / f"{PRIVATE_ID}.html").is_file()
    publish(site_store, site, PublishOptions(search=False, audience="external"))
    assert not (site / "incidents" / f"{PRIVATE_ID}.html").exists()
    assert SECRET_WORD not in (site / MANIFEST).read_text() and PRIVATE_ID not in (site / "index.html").read_text()

    # Pages made from the manifest's entries are the pages a first publish makes from the files.
    publish(site_store, fresh, PublishOptions(search=False, audience="external"))
    for name in ("index.html", "taxonomy.html", "learning.html"):
        assert (site / name).read_bytes() == (fresh / name).read_bytes(), name


def test_refuses_a_folder_it_did_not_make_or_one_inside_the_store(site_store, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(PublishError, match="not empty and was not made by `workbench publish`"):
        publish(site_store, mine, PublishOptions(search=False))
    with pytest.raises(PublishError, match="inside the store"):
        publish(site_store, site_store.root / "site", PublishOptions(search=False))
    assert (mine / "notes.txt").read_text() == "keep me"


def test_search_index_is_built_by_pagefind(site_store, tmp_path):
    site = tmp_path / "site"
    result = publish(site_store, site, PublishOptions())
    assert result.search_indexed
    assert (site / "pagefind" / "pagefind-ui.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(result.published)
    again = publish(site_store, site, PublishOptions())
    assert not again.search_indexed  # nothing changed: the index is kept
    assert RARE  # the browser test searches for it


def test_an_unstated_severity_reads_not_set_as_everywhere_else(tmp_path):
    # Found by mypy (Row.severity is text; an imported incident may state none): the site printed "None".
    from workbench.domain.model import Incident
    from workbench.services.bundled import default_taxonomy_text

    store = Store.init(tmp_path / "store", default_taxonomy_text())
    store.create(Incident(id="no-severity", title="Imported without a severity", severity=None))
    site = tmp_path / "site"
    publish(store, site, PublishOptions(search=False))
    page = (site / "incidents" / "no-severity.html").read_text(encoding="utf-8")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="sev sev-not-set"' in page and ">not set</span>" in page
    assert 'data-severity="not set"' in index and ">not set</td>" in index
    assert "None" not in page and "None" not in index
    # A second publish reads the row back from the manifest the same way.
    publish(store, site, PublishOptions(search=False))
    assert (site / "index.html").read_text(encoding="utf-8") == index


def test_recurring_causes_are_grouped_over_every_published_incident(site_store, tmp_path, monkeypatch):
    """No window of recent incidents: the oldest incident's cause groups with a later one's, and the grouping
    is given every published incident (a private one left out)."""
    from datetime import datetime, timezone

    from learning_store import write_incidents

    from workbench.domain.model import Cause, Incident, KeyTimes
    from workbench.services.publish import site as site_module

    statement = "The nightly {} job skipped the freshness check on the vector index"
    old, new = (
        Incident(
            id=f"{year}-01-05-vector-freshness-{year}",
            title=f"Stale vector index {year}",
            severity="P2",
            times=KeyTimes(started=datetime(year, 1, 5, tzinfo=timezone.utc)),
            causes=[Cause(id="c-1", statement=statement.format(word))],
        )
        for year, word in ((2001, "reindex"), (2025, "rebuild"))
    )
    write_incidents(site_store, [old, new])
    given: list[list[str]] = []
    group = site_module.recurring_causes

    def spy(incidents, *args, **kwargs):
        given.append([i.id for i in incidents])
        return group(incidents, *args, **kwargs)

    monkeypatch.setattr(site_module, "recurring_causes", spy)
    result = publish(site_store, tmp_path / "site", PublishOptions(search=False))
    assert len(given) == 1 and sorted(given[0]) == sorted(result.published) and PRIVATE_ID not in given[0]
    assert old.id == min(given[0], key=lambda i: i[:10])  # the oldest of all is among them
    learning = (tmp_path / "site" / "learning.html").read_text()
    assert statement.format("reindex") in learning and statement.format("rebuild") in learning
    assert "2 incidents, 2 causes" in learning and "most recent" not in learning
