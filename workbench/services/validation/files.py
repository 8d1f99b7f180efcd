"""`workbench validate`: every file of a store (or one incident folder) checked, every problem listed."""

from __future__ import annotations

from pathlib import Path

from ...store import LoadError, LoadResult, Problem, Store, StoreError
from ...store import layout
from ..evidence.locker import verify as verify_evidence
from ..taxonomy.usage import deprecated_tag_warnings


def validate_store(store: Store, only: Path | None = None, loaded: LoadResult | None = None) -> list[Problem]:
    """Every problem of the store (or of `only`). `loaded`: a `store.load_all()` already made, reused."""
    problems: list[Problem] = []
    taxonomy = None
    try:
        taxonomy = store.load_taxonomy()
    except LoadError as exc:
        problems.extend(exc.problems)
    except StoreError as exc:
        problems.append(Problem(Path(layout.TAXONOMY), str(exc)))
    result = loaded if loaded is not None else store.load_all()
    records = result.records
    problems.extend(result.problems)
    if only is not None:
        only = only.resolve()
        records = [r for r in records if r.folder == only or only in r.folder.parents or r.folder in only.parents]
        problems = [p for p in problems if _within(store, p.path, only)]
    for record in records:
        # Kept evidence is hashed: a file altered or removed since it was added is reported.
        problems.extend(verify_evidence(store, record))
    if taxonomy is not None:
        for record in records:
            path = store.display(record.folder / layout.INCIDENT_FILE)
            for index, tag in enumerate(record.incident.taxonomy):
                if taxonomy.resolve(tag) is None:
                    problems.append(
                        Problem(path, f"taxonomy id {tag!r} is not in taxonomy.toml", None, f"taxonomy[{index}]")
                    )
            for cause in record.incident.causes:
                for tag in cause.taxonomy:
                    if taxonomy.resolve(tag) is None:
                        problems.append(
                            Problem(
                                path,
                                f"taxonomy id {tag!r} is not in taxonomy.toml",
                                None,
                                f"causes[{cause.id}].taxonomy",
                            )
                        )
    return problems


def _within(store: Store, path: Path, only: Path) -> bool:
    full = (store.root / path).resolve()
    return full == only or only in full.parents


def validate_warnings(store: Store, only: Path | None = None, loaded: LoadResult | None = None) -> list[Problem]:
    """Findings that do not fail validation: tags naming a deprecated mode or an old (alias) id."""
    try:
        taxonomy = store.load_taxonomy()
    except StoreError:
        return []  # validate_store reports it
    records = (loaded if loaded is not None else store.load_all()).records
    if only is not None:
        only = only.resolve()
        records = [r for r in records if r.folder == only or only in r.folder.parents or r.folder in only.parents]
    return deprecated_tag_warnings(records, taxonomy, store.display)
