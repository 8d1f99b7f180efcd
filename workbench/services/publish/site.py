"""`workbench publish DIR`: the store as a static site that works from disk, with no network.

What is published: every incident that loads, except private ones (tagged `private`) unless asked for by
id; a private store (store.toml `private = true`) only when its name is given. `audience="external"`
goes through the report's own redaction (`report.render` and `report.redact.redact`), as the exports do.

Incremental: DIR/.workbench-publish.json records, per file, the sha256 of what was written and, per
incident page, a hash of everything the page is made from with what the index and learning pages need
of it. A second publish decodes and renders again only the incidents whose inputs changed, writes only the files whose bytes changed (an unchanged page keeps its
mtime), removes files it wrote before that are no longer published, and runs Pagefind again only when
a page changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ...domain.taxonomy import Taxonomy
from ...store import IncidentRecord, LoadError, Problem, Store, StoreError
from ...store.textio import atomic_write
from ..report import ReportOptions, render
from ..report.redact import PEOPLE_FILE, Person, load_people, redact
from ..learning.profile import Profile
from ..learning.stats import compute_stats, recurring_causes
from ..taxonomy.usage import incident_modes, live_mode_ids
from . import assets, pages

MANIFEST = ".workbench-publish.json"
PRIVATE_TAG = "private"
# Bumped when page templates change, so every page is made again once.
SITE_VERSION = "1"
# Bumped when what the learning page is made from changes (2: recurring causes over every published incident,
# no longer the 400 most recent), so a folder published before gets the new page once.
LEARNING_VERSION = "2"

Audience = Literal["internal", "external"]
Progress = Callable[[str, int, int], None]


class PublishError(Exception):
    """Publishing refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class PublishOptions:
    audience: Audience = "internal"
    include_private: frozenset[str] = frozenset()  # private incidents asked for by id
    private_store: str | None = None  # the store's folder name, to publish a private store
    search: bool = True  # build the Pagefind index
    today: date | None = None


@dataclass
class PublishResult:
    out: Path
    published: list[str] = field(default_factory=list)
    private_left_out: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    rendered: int = 0  # incident pages made again (their inputs changed)
    diagrams: int = 0
    diagrams_as_text: int = 0
    search_indexed: bool = False


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_target(store: Store, out: Path) -> Path:
    out = out.expanduser().resolve()
    root = store.root.resolve()
    if out == root or root in out.parents:
        raise PublishError(f"{out} is inside the store; publish to a folder outside it")
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} is a file; give a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise PublishError(f"{out} is not empty and was not made by `workbench publish`; give an empty or new folder")
    return out


def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": {}, "inputs": {}}
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("files"), dict)
        or not isinstance(data.get("inputs"), dict)
    ):
        return {"files": {}, "inputs": {}}
    return data


class _Writer:
    """Writes files under `out` only when their bytes differ from what is there."""

    def __init__(self, out: Path, old: dict[str, str], result: PublishResult):
        self.out, self.old, self.result = out, old, result
        self.files: dict[str, str] = {}

    def unchanged(self, rel: str) -> bool:
        """Keep a file as it is (its inputs did not change), when it is still there."""
        digest = self.old.get(rel)
        if digest is None or not (self.out / rel).is_file():
            return False
        self.files[rel] = digest
        self.result.unchanged += 1
        return True

    def write(self, rel: str, text: str) -> None:
        data = text.encode("utf-8")
        digest = _sha(data)
        self.files[rel] = digest
        path = self.out / rel
        if self.old.get(rel) == digest and path.is_file() and _sha(path.read_bytes()) == digest:
            self.result.unchanged += 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        self.result.written.append(rel)


def _inputs_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class _Entry:
    """What the index, taxonomy and learning pages need of one incident, kept in the manifest so an
    unchanged incident is never decoded again."""

    key: str  # the hash of everything its page is made from
    row: pages.Row | None  # None for a private incident: the published manifest holds nothing of it
    profile: Profile | None
    private: bool

    def to_json(self) -> dict[str, Any]:
        if self.row is None or self.profile is None:
            return {"key": self.key, "private": self.private}
        return {
            "key": self.key,
            "row": list(astuple(self.row)),
            "profile": self.profile.to_json(),
            "private": self.private,
        }


def _cached_entry(data: object, key: str) -> _Entry | None:
    """The manifest's entry when it is for this very text; None when absent, stale or damaged."""
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    if data.get("private") is True and "row" not in data:
        return _Entry(key, None, None, True)
    try:
        fields = data["row"]
        id_, title, severity, stage, kind, started = fields[:6]
        if not all(isinstance(f, str) for f in (id_, title, severity, stage, kind, started, fields[7])):
            return None  # damaged, or from before severities were always text (an unstated one was null)
        row = pages.Row(id_, title, severity, stage, kind, started, tuple(str(m) for m in fields[6]), fields[7])
        return _Entry(key, row, Profile.from_json(data["profile"], keep_words=False), bool(data["private"]))
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _entry_of(
    record: IncidentRecord,
    key: str,
    options: PublishOptions,
    taxonomy: Taxonomy,
    people: list[Person],
    private_ok: bool = False,
    live: dict[str, str] | None = None,
) -> _Entry:
    incident = record.incident
    if PRIVATE_TAG in incident.tags and not private_ok:
        return _Entry(key, None, None, True)
    if options.audience == "external":
        incident, _narrative, _ = redact(incident, record.narrative, people)
    row = pages.row_of(incident, incident_modes(incident, taxonomy, live))
    return _Entry(key, row, Profile.of(incident, with_words=False), PRIVATE_TAG in record.incident.tags)


def publish(
    store: Store, out: Path, options: PublishOptions = PublishOptions(), progress: Progress | None = None
) -> PublishResult:
    step = progress or (lambda _what, _done, _total: None)
    if store.private and options.private_store != store.root.name:
        raise PublishError(
            f"{store.root.name} is a private store: it is published only when asked by name "
            f"(--private-store {store.root.name})"
        )
    out = check_target(store, out)
    result = PublishResult(out)
    try:
        taxonomy = store.load_taxonomy()
    except StoreError as exc:
        raise PublishError(f"the taxonomy does not load, so the site cannot be made: {exc}") from None
    people: list[Person] = load_people(store.root) if options.audience == "external" else []
    people_text = (
        (store.root / PEOPLE_FILE).read_text(encoding="utf-8-sig")
        if people and (store.root / PEOPLE_FILE).is_file()
        else ""
    )
    taxonomy_text = store.taxonomy_file().text
    live = live_mode_ids(taxonomy)

    out.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(out)
    old_inputs: dict[str, str] = manifest["inputs"]
    writer = _Writer(out, manifest["files"], result)
    inputs: dict[str, str] = {}
    rows: list[pages.Row] = []
    shown: list[Profile] = []
    cache: dict[str, dict[str, Any]] = {}  # page -> what the index and learning pages need of it, in the manifest
    old_cache: dict[str, Any] = manifest["incidents"] if isinstance(manifest.get("incidents"), dict) else {}
    report_options = ReportOptions(format="md", audience=options.audience)
    folders = sorted(store.folders(refresh=True).items())
    unknown = sorted(options.include_private - {incident_id for incident_id, _ in folders})
    if unknown:
        raise PublishError(f"--include-private names no incident of this store: {', '.join(unknown)}")
    total = len(folders)
    for n, (incident_id, where) in enumerate(folders, start=1):
        if n % 50 == 0 or n == total:
            step("incident pages", n, total)
        if len(where) > 1:
            listed = ", ".join(str(store.display(f)) for f in where)
            result.problems.append(
                str(
                    Problem(
                        store.display(where[0]),
                        f"id {incident_id!r} is used by {len(where)} folders: {listed}",
                        None,
                        "id",
                    )
                )
            )
            continue
        rel = pages.page_name(incident_id)
        try:
            toml, md = store.read_folder(where[0])
            key = _inputs_hash(
                SITE_VERSION,
                options.audience,
                store.root.name,
                taxonomy_text,
                people_text,
                toml.text,
                md.text if md else "",
            )
            # The same text as last time: what the pages need of it comes from the manifest, and the
            # incident is not decoded at all (most of an unchanged publish's time went there).
            entry = _cached_entry(old_cache.get(rel), key)
            record = None
            if entry is None:
                record = store.decode_folder(where[0], toml, md)
                entry = _entry_of(record, key, options, taxonomy, people, live=live)
        except LoadError as exc:
            result.problems.extend(str(p) for p in exc.problems)
            continue
        except StoreError as exc:
            result.problems.append(str(Problem(store.display(where[0]), str(exc))))
            continue
        if entry.private and incident_id not in options.include_private:
            result.private_left_out.append(incident_id)
            cache[rel] = _Entry(key, None, None, True).to_json()  # nothing of it in the published folder
            continue
        if entry.row is None or entry.profile is None:  # private, and asked for by id: decoded afresh
            record = record or store.decode_folder(where[0], toml, md)
            entry = _entry_of(record, key, options, taxonomy, people, private_ok=True, live=live)
        assert entry.row is not None and entry.profile is not None  # private_ok: _entry_of made both
        rows.append(entry.row)
        shown.append(entry.profile)
        inputs[rel] = key
        cache[rel] = entry.to_json()
        if not (old_inputs.get(rel) == key and writer.unchanged(rel)):
            if record is None:
                record = store.decode_folder(where[0], toml, md)  # its page went missing from the folder
            markdown = render(record.incident, record.narrative, report_options, taxonomy, people)
            page, drawn, left = pages.incident_page(
                entry.row, markdown, store_name=store.root.name, audience=options.audience
            )
            result.diagrams += drawn
            result.diagrams_as_text += left
            result.rendered += 1
            writer.write(rel, page)
    result.published = [r.id for r in rows]

    step("learning views", 0, 1)
    today = options.today or date.today()
    # The learning page depends on every published incident and on today (overdue, "as of"): made again only
    # when one of them changed, since its recurring causes are the costliest part of a publish.
    learning_key = _inputs_hash(SITE_VERSION, LEARNING_VERSION, today.isoformat(), *sorted(inputs.values()))
    mode_names = {m.id: m.name for m in taxonomy.modes}
    stats = compute_stats(shown, taxonomy, today, with_causes=False)
    if not (manifest.get("learning") == learning_key and writer.unchanged("learning.html")):
        # Every published incident: the grouping grows with statements x groups (services/learning/
        # cause_groups.py), ~2 s of CPU and well under 100 MB at 10,000 incidents.
        stats.recurring_causes = recurring_causes(shown)
        writer.write("learning.html", pages.learning_page(stats, store_name=store.root.name))
    step("learning views", 1, 1)
    writer.write(
        "index.html",
        pages.index_page(
            rows,
            mode_names,
            store_name=store.root.name,
            quarters=[q for q in stats.quarters if q != "undated"],
            by_severity=pages.quarter_severity(rows, stats.quarters),
        ),
    )
    writer.write("taxonomy.html", pages.taxonomy_page(taxonomy, rows, store_name=store.root.name))
    writer.write("assets/site.css", assets.CSS)
    writer.write("assets/site.js", assets.JS)

    for rel in sorted(set(manifest["files"]) - set(writer.files)):
        path = out / rel
        if path.is_file():
            path.unlink()
        result.removed.append(rel)
    changed = bool(result.written or result.removed)
    if options.search and (changed or not (out / "pagefind" / "pagefind-ui.js").is_file()):
        step("search index (Pagefind)", 0, 1)
        build_search_index(out)
        result.search_indexed = True
        step("search index (Pagefind)", 1, 1)
    data = {
        "version": SITE_VERSION,
        "audience": options.audience,
        "files": writer.files,
        "inputs": inputs,
        "learning": learning_key,
        "incidents": cache,
    }
    encoded = (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")
    path = out / MANIFEST
    if not path.is_file() or path.read_bytes() != encoded:  # unchanged site, untouched folder
        atomic_write(path, encoded)
    return result


def build_search_index(out: Path) -> None:
    """Pagefind's index and UI into out/pagefind/ (made afresh: its fragment names change with content)."""
    bundle = out / "pagefind"
    if bundle.exists():
        shutil.rmtree(bundle)
    proc = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(out), "--silent"], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0 or not (bundle / "pagefind-ui.js").is_file():
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise PublishError("Pagefind could not index the site" + (f": {detail[-1]}" if detail else ""))
