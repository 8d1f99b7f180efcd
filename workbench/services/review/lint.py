"""`workbench lint`: the checks over a store, a subtree, or the files a commit touches (pre-commit)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ...store import LoadError, Store, StoreError
from ...store import layout
from ...store.reviewfile import REVIEW_FILE, load_review
from .checks import CheckConfig, Finding, load_config, sort_key
from .checks.config import RULES_DIR
from .steps import findings_for

INCIDENT_FILES = (layout.INCIDENT_FILE, layout.NARRATIVE_FILE, REVIEW_FILE)


@dataclass
class IncidentReport:
    id: str
    folder: str  # store-relative, forward slashes
    findings: list[Finding] = field(default_factory=list)


@dataclass
class LintResult:
    reports: list[IncidentReport]
    config_sources: tuple[str, ...] = ()

    def all(self) -> list[Finding]:
        return [f for r in self.reports for f in r.findings]


def find_store_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that is a store (taxonomy.toml or incidents/, and .git)."""
    here = start.resolve()
    here = here if here.is_dir() else here.parent
    for folder in (here, *here.parents):
        if (folder / ".git").exists() and (
            (folder / layout.TAXONOMY).is_file() or (folder / layout.INCIDENTS).is_dir()
        ):
            return folder
    return None


def incident_folders_for(store: Store, paths: list[Path]) -> list[Path]:
    """Incident folders named by `paths`: the store, a subtree, a folder, or files inside a folder.

    Paths that are not incident files (a README, a workflow file) are skipped; a team rules file
    (.workbench-rules/) changes how every incident is judged, so it selects them all.
    """
    every = sorted(f for folders in store.folders(refresh=True).values() for f in folders)
    if not paths:
        return every
    chosen: list[Path] = []
    for raw in paths:
        path = raw.resolve() if raw.is_absolute() else (Path.cwd() / raw).resolve()
        if path != store.root and store.root not in path.parents:
            raise StoreError(f"{raw} is outside the store {store.root}")
        if path == store.root or (store.root / "incidents") == path or RULES_DIR in path.parts:
            chosen += every
            continue
        if path.is_file() or not path.exists():
            if path.name in INCIDENT_FILES and (path.parent / layout.INCIDENT_FILE).is_file():
                chosen.append(path.parent)
            continue
        chosen += [f for f in every if f == path or path in f.parents]
    return list(dict.fromkeys(chosen))  # each folder once, in the order chosen


def lint(store: Store, paths: list[Path] | None = None, config: CheckConfig | None = None) -> LintResult:
    config = config or load_config(store.root)
    reports = []
    for folder in incident_folders_for(store, paths or []):
        rel = layout.relative(store.root, folder)
        report = IncidentReport(folder.name, rel)
        try:
            record = store.load_folder(folder)
            review = load_review(store, record.id, folder).review
            found = findings_for(store, record, review, config)
        except LoadError as exc:
            found = [
                Finding(
                    "load.invalid",
                    "error",
                    p.message,
                    "Fix the file; `workbench validate` lists every problem.",
                    Path(p.path).name,
                    None,
                    p.field,
                    p.line,
                )
                for p in exc.problems
            ]
        except StoreError as exc:
            found = [Finding("load.invalid", "error", str(exc), "", layout.INCIDENT_FILE)]
        report.findings = sorted((replace(f, file=f"{rel}/{f.file}") for f in found), key=sort_key)
        reports.append(report)
    return LintResult(reports, config.sources)
