"""What services and the UI need from a store: versioned incidents, nothing about files or git.

`Store` (files in a git repository) and `MemoryStore` (dicts, for tests and previews) both implement it;
tests/store_contract/ runs one suite against both, so a caller written against this protocol behaves the
same on either. The git store offers more (evidence files, taxonomy edits, moves, the journal, the path
boundary): callers that need those take a `Store`.

Listing: callers list incidents by `ids()` and `load_all()` (records plus the problems of those that do
not load); the light excerpts of lists and search are built from the files by the search index in
services, which needs a store on disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..domain.model import Incident
    from ..domain.taxonomy import Taxonomy
    from .gitrepo import Commit
    from .memory import MemoryStore
    from .store import IncidentRecord, LoadResult, Store


class StoreProtocol(Protocol):
    """Load, save (one version each, with its message), history, show-at, restore, create, list.

    Errors are the store's own (workbench.store.errors): NotFound for an unknown id or a version before the
    incident existed, NotAStore for an unknown revision, OutsideEdit when the record being saved is not
    the latest version (someone else saved, or edited the files), ConflictMarkers for a narrative holding
    git conflict markers, ReadOnlyStore when `read_only` is set, StoreError for an id change or a duplicate.
    """

    read_only: bool

    def ids(self) -> list[str]:
        """Every incident id, sorted."""
        ...

    def load(self, incident_id: str) -> IncidentRecord: ...

    def load_all(self) -> LoadResult:
        """Every incident that loads, by id, and a Problem for each that does not."""
        ...

    def load_taxonomy(self) -> Taxonomy: ...

    def create(
        self, incident: Incident, narrative: str | None = None, *, where: str = "scoping", what: str | None = None
    ) -> IncidentRecord:
        """A new incident as one version; `narrative` None means the canonical template."""
        ...

    def save(
        self,
        record: IncidentRecord,
        incident: Incident,
        narrative: str | None = None,
        *,
        where: str,
        what: str,
        trailers: list[str] | None = None,
    ) -> IncidentRecord:
        """One version `<id>: <where>: <what>` (trailers in its body); an unchanged save makes none.
        `record` must be the latest version (else OutsideEdit, nothing written)."""
        ...

    def history(self, incident_id: str, limit: int | None = None) -> list[Commit]:
        """The versions that changed the incident, newest first."""
        ...

    def show_at(self, incident_id: str, rev: str) -> IncidentRecord:
        """The incident as it was at `rev` (a version's id or a unique prefix of it); changes nothing."""
        ...

    def restore(self, record: IncidentRecord, rev: str) -> IncidentRecord:
        """The version at `rev` saved again as a new version; history is never rewritten."""
        ...

    def diff(self, incident_id: str, rev: str) -> str:
        """What the version at `rev` changed in the incident's files, as a unified diff ('' for nothing)."""
        ...


if TYPE_CHECKING:
    # mypy checks here that both stores implement the protocol (a missing or changed method fails the lint).
    def _both_conform(git: Store, memory: MemoryStore) -> tuple[StoreProtocol, StoreProtocol]:
        return git, memory
