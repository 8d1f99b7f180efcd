"""The incident store: files on disk, versioned in git. Load, save (one commit each), history, restore."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import gitdirs, layout
from ..domain.ids import slug_problem
from . import recovery
from . import startup
from .boundary import Boundary, ensure_excluded, private_dir
from .errors import (
    LoadError,
    NotFound,
    OutsideEdit,
    Problem,
    RepoBusy,
    SaveFailed,
    StoreError,
)
from .files import copy_file, inside_folder
from .journal import Journal
from .lock import StoreLock
from .textio import MAX_FILE_BYTES, TextFile, atomic_write, decode, fsync_dir, sha256, TMP_SUFFIX
from . import writes
from .writes import message

if TYPE_CHECKING:  # pydantic (the models, tomlfile) and gitpython load on first use: a start needs neither
    from ..domain.model import Incident
    from ..domain.taxonomy import Taxonomy
    from .gitrepo import Commit, GitRepo


@dataclass(frozen=True)
class IncidentRecord:
    """An incident as loaded: the model, its narrative, where it lives, and the bytes it came from.

    The hashes let a save notice that someone else changed the files in the meantime.
    """

    incident: Incident
    narrative: str
    folder: Path
    toml: TextFile = field(default_factory=lambda: TextFile(""))
    md: TextFile | None = None

    @property
    def id(self) -> str:
        return self.incident.id


@dataclass(frozen=True)
class LoadResult:
    records: list[IncidentRecord]
    problems: list[Problem]


class Store:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        startup.check_store(self.root)
        self._git: GitRepo | None = None
        self._git_lock = threading.Lock()
        dirs = gitdirs.locate(self.root)
        if dirs is None:  # anything unusual: GitPython's own verdict (NotAStore when it is no repository)
            dirs = gitdirs.GitDirs(self.git.git_dir, self.git.common_dir)
        self.git_dirs = dirs
        # Every read and write of store content goes through the boundary (links out, FIFOs, size cap).
        self.boundary = Boundary(self.root)
        self.boundary.private_dir(create=False)  # a committed `.workbench` link is refused before any use
        # git ignores .workbench/ in every store, not only those `workbench init` made (.gitignore).
        ensure_excluded(dirs.common_dir)
        self._folders: dict[str, list[Path]] | None = None
        self.lock = StoreLock(self.private_dir)
        self.crash_notes: list[str] = []  # what cleanup_after_crash did, in words, for the UI/CLI to show
        self.cleaned_up = False  # cleanup_after_crash ran in this process (the CLI's start, then the app's)
        # sha256 of what this process last wrote to each file: a watcher tells our writes from outside edits
        self.own_writes: dict[Path, str] = {}
        # A viewer's store (`workbench open --read-only`): every write is refused before anything is touched.
        self.read_only = False
        self._store_id: str | None = None
        # A private store (even a fresh clone of one) gets its pre-push guard on the first open.
        self.guard_notes: list[str] = self.guard_private()

    # ------------------------------------------------------------------------------ creation
    @property
    def git(self) -> GitRepo:
        """The store's git history, made on first use (importing GitPython costs ~0.7 s of a start)."""
        with self._git_lock:
            if self._git is None:
                from .gitrepo import GitRepo

                self._git = GitRepo(self.root)
            return self._git

    def branch(self) -> str:
        """The checked-out branch, read from HEAD; GitPython's words when HEAD is not a plain branch."""
        name = gitdirs.branch(self.git_dirs.git_dir)
        return name if name is not None else self.git.branch()

    @classmethod
    def init(cls, root: Path, taxonomy_text: str, *, private: bool = False) -> Store:
        root = Path(root)
        if (root / layout.TAXONOMY).exists() or (root / layout.INCIDENTS).exists():
            raise StoreError(f"{root} already holds a store")
        root.mkdir(parents=True, exist_ok=True)
        if not (root / ".git").exists():
            from .gitrepo import GitRepo

            GitRepo.init(root)
        (root / layout.INCIDENTS).mkdir()
        (root / layout.INCIDENTS / ".gitkeep").write_text("")
        atomic_write(root / layout.TAXONOMY, taxonomy_text.encode())
        gitignore = root / ".gitignore"
        existing = Boundary(root).read_text(gitignore).text if os.path.lexists(gitignore) else ""
        if f"/{layout.PRIVATE_DIR}/" not in existing:
            atomic_write(
                gitignore,
                (existing + ("\n" if existing and not existing.endswith("\n") else "") + layout.GITIGNORE).encode(),
            )
        store = cls(root)
        from . import sync  # the merge driver (.gitattributes + .git/config) and the private marker

        sync.setup_merge(store, commit=False)
        store.git.configure_durability()
        paths = [layout.TAXONOMY, ".gitignore", f"{layout.INCIDENTS}/.gitkeep", sync.ATTRIBUTES]
        if private:
            atomic_write(root / sync.STORE_FILE, sync.PRIVATE_TEXT.encode())
            paths.append(sync.STORE_FILE)
            store.guard_notes = store.guard_private()
        store.git.commit(paths, "store: init: taxonomy and layout" + (" (private store)" if private else ""))
        return store

    @property
    def private(self) -> bool:
        """A private store never gets a remote and is never pushed (store.toml: private = true)."""
        from .privacy import is_private

        return is_private(self.root)

    def guard_private(self) -> list[str]:
        """For a private store: make sure git's pre-push hook refuses every push (see pushguard)."""
        from .privacy import is_private

        if not is_private(self.root):
            return []
        from . import pushguard

        return pushguard.install(self.git.common_dir, self.git.config_value("core.hooksPath"))

    def exports_dir(self) -> Path:
        """`<store>/exports/`, where the app writes reports unless told otherwise: made on first use and kept out
        of git through .git/info/exclude (this clone only: the team's .gitignore is not changed or committed)."""
        folder = self.root / layout.EXPORTS
        folder.mkdir(exist_ok=True)
        exclude = Path(self.git_dirs.common_dir) / "info" / "exclude"  # shared by every worktree of the clone
        line = f"/{layout.EXPORTS}/"
        existing = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
        if line not in existing.splitlines():
            exclude.parent.mkdir(exist_ok=True)
            atomic_write(
                exclude,
                (
                    existing
                    + ("\n" if existing and not existing.endswith("\n") else "")
                    + "# reports exported by the workbench\n"
                    + line
                    + "\n"
                ).encode(),
            )
        return folder

    @property
    def private_dir(self) -> Path:
        """`.workbench/`: refused (Refused) when it is a link or not a folder, so nothing private leaves the store."""
        return private_dir(self.root, create=False)

    def cleanup_after_crash(self) -> list[Path]:
        """Undo what a killed save left behind: its temporary files and stale git lock files.

        Run at start. Real files are never touched: temporary names are `.<name>.<random>.tmp`. It runs
        only when no other process is saving (it takes the store lock without waiting, and skips
        otherwise), so another instance's save in progress is never disturbed. `crash_notes` says what
        was done.
        """
        done = startup.cleanup_after_crash(self.root, self.git_dirs.git_dir, self.lock, self.display)
        self.crash_notes = done.notes
        self.cleaned_up = self.cleaned_up or done.ran
        self._folders = None
        return done.removed

    # ------------------------------------------------------------------------------ discovery
    def folders(self, refresh: bool = False) -> dict[str, list[Path]]:
        if self._folders is None or refresh:
            self._folders = layout.scan_incident_folders(self.root)
        return self._folders

    def _find_folders(self, incident_id: str) -> list[Path] | None:
        if slug_problem(incident_id):
            return None  # not an id the app makes (a path, ".."): the whole map below answers, as before
        return layout.find_incident_folders(self.root, incident_id)

    def ids(self) -> list[str]:
        return sorted(self.folders())

    def folder_of(self, incident_id: str) -> Path:
        probed = self._find_folders(incident_id) if self._folders is None else None
        if probed is not None:
            # No map made yet (an incident opened before the app's prefetch made it): this one incident's folders,
            # looked up in each month folder, answer as the whole map would, without walking every incident folder.
            folders: list[Path] | None = probed
        else:
            folders = self.folders().get(incident_id)
            if not folders or not all((f / layout.INCIDENT_FILE).is_file() for f in folders):
                # Unknown, or moved on disk since the last scan (by hand, by git): look again.
                folders = self.folders(refresh=True).get(incident_id)
        if not folders:
            raise NotFound(f"no incident {incident_id!r} in {self.root}")
        if len(folders) > 1:
            listed = ", ".join(layout.relative(self.root, f) for f in folders)
            raise StoreError(f"incident id {incident_id!r} is used by more than one folder: {listed}")
        folder = folders[0]
        self.boundary.resolve(folder / layout.INCIDENT_FILE)  # a linked folder or file leaving the store
        return folder

    # ----------------------------------------------------------------------------------- load
    def load(self, incident_id: str) -> IncidentRecord:
        return self.load_folder(self.folder_of(incident_id))

    def load_folder(self, folder: Path) -> IncidentRecord:
        return self.decode_folder(folder, *self.read_folder(folder))

    def read_folder(self, folder: Path) -> tuple[TextFile, TextFile | None]:
        """An incident folder's files as text, not yet decoded: a caller that has seen the same text
        before (publish) can skip the decoding, which is most of a load's cost."""
        toml = self.boundary.read_text(folder / layout.INCIDENT_FILE)
        md_path = folder / layout.NARRATIVE_FILE
        md = self.boundary.read_text(md_path) if self.boundary.exists(md_path) else None
        return toml, md

    def decode_folder(self, folder: Path, toml: TextFile, md: TextFile | None) -> IncidentRecord:
        from .tomlfile import decode_incident, locate_line

        toml_path = folder / layout.INCIDENT_FILE
        incident = decode_incident(toml.text, self.display(toml_path))
        if incident.id != folder.name:
            raise LoadError(
                [
                    Problem(
                        self.display(toml_path),
                        f"id {incident.id!r} differs from its folder name {folder.name!r}",
                        locate_line(toml.text, ("id",)),
                        "id",
                    )
                ]
            )
        return IncidentRecord(incident, md.text if md else "", folder, toml, md)

    def load_all(self) -> LoadResult:
        records, problems = [], []
        for incident_id, folders in sorted(self.folders(refresh=True).items()):
            if len(folders) > 1:
                listed = ", ".join(layout.relative(self.root, f) for f in folders)
                problems.append(
                    Problem(
                        self.display(folders[0]),
                        f"id {incident_id!r} is used by {len(folders)} folders: {listed}",
                        None,
                        "id",
                    )
                )
                continue
            try:
                records.append(self.load_folder(folders[0]))
            except LoadError as exc:
                problems.extend(exc.problems)
            except StoreError as exc:
                problems.append(Problem(self.display(folders[0]), str(exc)))
        return LoadResult(records, problems)

    def display(self, path: Path) -> Path:
        """Paths in messages are relative to the store: short, and the same on every machine."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path

    def read_raw(self, path: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[bytes, int]:
        """A store file's bytes as they are, for the read-only viewer of a file that will not load:
        (at most `max_bytes` of it, its size). Only reads; refuses paths and links leading outside, and
        anything that is not a regular file."""
        return self.boundary.read_prefix(path, max_bytes)

    def load_taxonomy(self) -> Taxonomy:
        from ..domain.taxonomy import Taxonomy
        from .tomlfile import parse_toml, validate

        path = self.root / layout.TAXONOMY
        text = self.boundary.read_text(path).text
        return validate(Taxonomy, parse_toml(text, self.display(path)), text, self.display(path))

    @property
    def store_id(self) -> str:
        """A stable id for this store in every clone: its first commit (12 hex digits), else its folder name.
        Calendar UIDs and tracker ids are built on it, so a re-import updates rather than duplicates."""
        if self._store_id is None:
            root = self.git.root_commit()
            self._store_id = root[:12] if root else self.root.name
        return self._store_id

    # ----------------------------------------------------------------------------------- save
    def check_writable(self, doing: str = "save") -> None:
        writes.check_writable(self.read_only, doing)

    def create(
        self, incident: Incident, narrative: str | None = None, *, where: str = "scoping", what: str | None = None
    ) -> IncidentRecord:
        text = writes.first_narrative(incident, narrative)
        # Checked under the store lock (re-entrant: _write takes it again), so of two processes creating
        # the same id at once the second sees the first's folder and gets this message, not a clobber.
        with self.lock:
            folder = layout.incident_folder(self.root, incident.id, incident.times.started)
            writes.check_new(
                incident,
                id_taken=incident.id in self.folders(refresh=True),
                folder_taken=folder.exists(),
                folder_label=self.display(folder),
            )
            record = IncidentRecord(incident, text, folder, TextFile(""), None)
            return self._write(record, incident, text, writes.create_subject(incident, where, what), new=True)

    def save(
        self,
        record: IncidentRecord,
        incident: Incident,
        narrative: str | None = None,
        *,
        where: str,
        what: str,
        trailers: list[str] | None = None,
        clears: list[str] | None = None,
        files: dict[str, Path] | None = None,
        removes: list[str] | None = None,
    ) -> IncidentRecord:
        """Write what changed and commit it as one step. Refuses to clobber an outside edit.

        `clears` names journal panes whose in-progress edits this save holds: cleared once it succeeded.
        `files` maps paths inside the incident folder (e.g. `evidence/app.log`) to files to copy
        there; the copies land in the same commit as the incident.toml that lists them. `removes` names
        files inside the incident folder to delete in that same commit (evidence taken off the manifest;
        git history keeps them).
        """
        subject = writes.save_subject(record, incident, where, what, trailers)
        saved = self._write(
            record,
            incident,
            record.narrative if narrative is None else narrative,
            subject,
            check_outside=True,
            files=files,
            removes=removes,
        )
        for pane in clears or []:
            self.journal.clear(incident.id, pane)
        return saved

    def save_many(self, changes: list[tuple[IncidentRecord, Incident]], subject: str) -> Commit | None:
        """Several incidents' incident.toml changed together as ONE commit (a tracker sync-back).

        Each file must be as it was loaded (an outside edit refuses the whole step before any write); ids and
        start times cannot change here (no folder moves). A failed write puts back the files already written."""
        from .tomlfile import encode_incident

        self.check_writable()
        for record, incident in changes:
            if incident.id != record.id or incident.times.started != record.incident.times.started:
                raise StoreError(f"{record.id}: save_many changes neither ids nor start times")
        with self.lock:
            for record, _ in changes:
                self._check_unchanged_on_disk(record)
            reason = self.git.busy_reason()
            if reason:
                raise RepoBusy(reason)
            written: list[tuple[Path, bytes]] = []
            try:
                for record, incident in changes:
                    path = record.folder / layout.INCIDENT_FILE
                    before = path.read_bytes()
                    data = record.toml.encode(encode_incident(incident, record.toml.text))
                    if data == before:
                        continue
                    self.own_writes[path] = sha256(data)
                    atomic_write(path, data)
                    written.append((path, before))
            except OSError as exc:
                for path, before in reversed(written):
                    with contextlib.suppress(OSError):
                        atomic_write(path, before)
                raise SaveFailed(f"could not save: {exc}; the files on disk are unchanged") from None
            if not written:
                return None
            return self.git.commit([layout.relative(self.root, p) for p, _ in written], subject)

    @property
    def journal(self) -> Journal:
        return Journal(self.private_dir)

    def _check_unchanged_on_disk(self, record: IncidentRecord) -> None:
        toml_path = record.folder / layout.INCIDENT_FILE
        md_path = record.folder / layout.NARRATIVE_FILE
        # A deleted file counts as "" : only a record that knows it is gone (keep-mine after a checkout removed
        # the incident) may write it again; any loaded record has the hash of real bytes.
        on_disk_toml = sha256(self.boundary.read_bytes(toml_path)) if self.boundary.exists(toml_path) else ""
        if on_disk_toml != record.toml.sha256:
            raise OutsideEdit(self.display(toml_path))
        on_disk_md = sha256(self.boundary.read_bytes(md_path)) if self.boundary.exists(md_path) else None
        if on_disk_md != (record.md.sha256 if record.md else None):
            raise OutsideEdit(self.display(md_path))

    def _write(
        self,
        record: IncidentRecord,
        incident: Incident,
        narrative: str,
        subject: str,
        new: bool = False,
        check_outside: bool = False,
        files: dict[str, Path] | None = None,
        removes: list[str] | None = None,
    ) -> IncidentRecord:

        self.check_writable()
        folder = layout.incident_folder(self.root, incident.id, incident.times.started)
        moved = not new and folder != record.folder
        encoded = writes.encode_files(
            None if new else record, incident, narrative, lambda name: self.display(folder / name)
        )
        toml_text, toml_file, toml_bytes = encoded.toml_text, encoded.toml_file, encoded.toml_bytes
        md_text, md_file, md_bytes = encoded.md_text, encoded.md_file, encoded.md_bytes
        paths = [layout.relative(self.root, folder)]
        doomed = [inside_folder(folder, r) for r in removes or []]  # a bad path is refused before any write
        with self.lock:  # one writer per store, from the outside-edit check to the commit
            if check_outside:
                self._check_unchanged_on_disk(record)
            reason = self.git.busy_reason()
            if reason:  # mid-merge or rebase: refuse before writing, so the files stay as the user left them
                raise RepoBusy(reason)
            for target in (folder / layout.INCIDENT_FILE, folder / layout.NARRATIVE_FILE):
                self.boundary.check_write(target)  # never through a link, never onto a FIFO
            # Folders this save creates go too when its commit is refused: a retried `new` must not
            # find an empty folder of its own and say "already exists".
            made_dirs = [
                d for d in (folder.parent.parent, folder.parent, folder, record.folder / "evidence") if not d.exists()
            ]
            copied = self._copy_files(record.folder, files or {})
            try:
                done = self._write_files(record, folder, moved, toml_bytes, md_bytes, bool(md_text))
            except BaseException:
                # incident.toml was put back: copies it would have listed must not linger unlisted.
                for target in copied:
                    target.unlink(missing_ok=True)
                raise
            if moved:
                paths.append(layout.relative(self.root, record.folder))
            # Only once incident.toml no longer lists them: a failure before this point deletes nothing.
            # Each is set aside (a second name) so that a refused commit can put it back.
            set_aside = self._set_aside(doomed)
            try:
                self.git.commit(paths, subject)
            except BaseException as exc:
                # The edit could not be committed: nothing of it stays on disk, so a retry never
                # duplicates it and another command's commit never sweeps it in under its own message.
                self._put_back(done, record.folder if moved else None, folder)
                for target in copied:
                    target.unlink(missing_ok=True)
                for target, keep in set_aside:
                    with contextlib.suppress(OSError):
                        os.replace(keep, target)
                for made in reversed(made_dirs):
                    with contextlib.suppress(OSError):
                        made.rmdir()  # only when empty
                self.git.unstage(paths)
                self._folders = None
                raise nothing_written(exc) from None
            for _, keep in set_aside:
                keep.unlink(missing_ok=True)
            # The folder index stays valid: only this incident's folder can have changed (created or
            # moved). Dropping it made the next folder_of/history rescan 10,000 folders after every save.
            if self._folders is not None:
                self._folders[incident.id] = [folder]
        return IncidentRecord(
            incident,
            md_text,
            folder,
            replace(toml_file, text=toml_text, sha256=sha256(toml_bytes)),
            replace(md_file, text=md_text, sha256=sha256(md_bytes))
            if (md_text or (folder / layout.NARRATIVE_FILE).exists())
            else None,
        )

    def _copy_files(self, folder: Path, files: dict[str, Path]) -> list[Path]:
        """Evidence copies into the incident folder; never over an existing file."""
        copied: list[Path] = []
        try:
            for relative_path, source in files.items():
                target = inside_folder(folder, relative_path)
                if target.exists():
                    raise StoreError(f"{self.display(target)} already exists; evidence is never overwritten")
                copy_file(source, target)
                copied.append(target)
        except BaseException:
            for target in copied:
                target.unlink(missing_ok=True)
            raise
        return copied

    def _set_aside(self, doomed: list[Path]) -> list[tuple[Path, Path]]:
        """Delete files, each moved into `.workbench/` (git-ignored, so the commit cannot take it in) until
        the commit is made. A file that cannot be moved is deleted; one that cannot be deleted stays (the
        caller sees it still exists; validate lists it)."""
        kept: list[tuple[Path, Path]] = []
        for target in doomed:
            if not target.exists():
                continue
            try:
                keep = self.private_dir / f"removing-{secrets.token_hex(6)}{TMP_SUFFIX}"
                keep.parent.mkdir(exist_ok=True)
                os.replace(target, keep)
                kept.append((target, keep))
            except (OSError, StoreError):
                with contextlib.suppress(OSError):
                    target.unlink()
        return kept

    def _put_back(self, done: list[tuple[Path, bytes | None]], old_folder: Path | None, folder: Path) -> None:
        """Files written by a save whose commit was refused, as they were before it (new ones removed)."""
        for path, before in reversed(done):
            self.own_writes.pop(path, None)
            try:
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write(path, before)
            except OSError:
                pass
        if old_folder is not None and folder.exists() and not old_folder.exists():
            with contextlib.suppress(OSError):
                os.replace(folder, old_folder)

    def _write_files(
        self, record: IncidentRecord, folder: Path, moved: bool, toml_bytes: bytes, md_bytes: bytes, has_md: bool
    ) -> list[tuple[Path, bytes | None]]:
        """Both files of a save, or neither: when the disk refuses a step, what was already written is put
        back as it was, the edit goes to a recovery folder, and SaveFailed says so.

        Returns what was written, each with its bytes before (None for a new file): the caller puts them
        back when the commit is refused."""
        toml_path = folder / layout.INCIDENT_FILE
        md_path = folder / layout.NARRATIVE_FILE
        # (path, a hard link to its bytes before this save, or None when it is new). Putting a file back
        # is a rename of that link: it needs no free space, so it works on a full disk.
        done: list[tuple[Path, Path | None]] = []
        before_bytes: list[tuple[Path, bytes | None]] = []
        step = "moving the folder"
        try:
            if moved:
                # The start month changed: the folder follows it, in the same commit.
                folder.parent.mkdir(parents=True, exist_ok=True)
                os.replace(record.folder, folder)
                fsync_dir(folder.parent)
                fsync_dir(record.folder.parent)
            for path, data, wanted in ((toml_path, toml_bytes, True), (md_path, md_bytes, has_md)):
                before = self.boundary.read_bytes(path, None) if path.exists() else None
                if (wanted or before is not None) and before != data:
                    step = f"writing {self.display(path)}"
                    keep = None
                    if before is not None:
                        keep = path.with_name(f".{path.name}.{secrets.token_hex(4)}.before{TMP_SUFFIX}")
                        os.link(path, keep)
                    done.append((path, keep))
                    before_bytes.append((path, before))
                    self.own_writes[path] = sha256(data)
                    atomic_write(path, data)
        except OSError as exc:
            self._undo(done, record.folder if moved else None, folder)
            kept = recovery.keep(
                self.private_dir,
                record.id or folder.name,
                {layout.INCIDENT_FILE: toml_bytes, layout.NARRATIVE_FILE: md_bytes},
                "unsaved",
            )
            where = f"your edit is kept in {self.display(kept)}" if kept else "no recovery copy could be written"
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            code = f" ({errno_name(exc.errno)})" if exc.errno else ""
            raise SaveFailed(
                f"could not save {incident_label(record, folder)}: {reason}{code} while {step}. "
                f"The files on disk are unchanged; {where}.",
                kept,
            ) from None
        for _, keep in done:
            if keep is not None:
                keep.unlink(missing_ok=True)
        return before_bytes

    def _undo(self, done: list[tuple[Path, Path | None]], old_folder: Path | None, folder: Path) -> None:
        for path, keep in reversed(done):
            try:
                if keep is None:
                    path.unlink(missing_ok=True)
                elif path.exists() and os.path.samefile(keep, path):
                    keep.unlink()  # the original is still in place (rename() of two links is a no-op)
                else:
                    os.replace(keep, path)
            except OSError:
                pass
        if old_folder is not None and folder.exists() and not old_folder.exists():
            try:
                os.replace(folder, old_folder)
            except OSError:
                pass

    # ----------------------------------------------------------------------------------- move
    def move_to(self, incident_id: str, target: Store) -> Path:
        """Move an incident (every file of its folder) to another store: one commit there, then one here.

        The target is written and committed first, so a failure at any point leaves the incident in at
        least one store. Its history stays in this store's git log.
        """
        if target.root == self.root:
            raise StoreError("the target is this store")
        self.check_writable("move an incident")
        target.check_writable("move an incident")
        folder = self.folder_of(incident_id)
        record = self.load(incident_id)  # refuses a broken incident before anything is written
        if incident_id in target.folders(refresh=True):
            raise StoreError(f"{target.root} already holds an incident {incident_id!r}")
        files = {
            p.name: self.boundary.read_bytes(p, None)
            for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")
        }
        dest = layout.incident_folder(target.root, incident_id, record.incident.times.started)
        with target.lock:
            if dest.exists():
                raise StoreError(f"{target.display(dest)} already exists")
            for name, data in files.items():
                atomic_write(dest / name, data)
            target._folders = None
            target.git.commit(
                [layout.relative(target.root, dest)],
                message(incident_id, "move", f"moved here from the store {self.root.name}"),
            )
        with self.lock:
            shutil.rmtree(folder)
            self._folders = None
            self.git.commit(
                [layout.relative(self.root, folder)],
                message(incident_id, "move", f"moved to the store {target.root.name}"),
            )
        return dest

    # -------------------------------------------------------------------------------- history
    def history(self, incident_id: str, limit: int | None = None) -> list[Commit]:
        # A glob over the month folders, so a folder that moved with its start date keeps its history.
        return self.git.log([self._pathspec(incident_id)], limit)

    def _pathspec(self, incident_id: str) -> str:
        self.folder_of(incident_id) if incident_id not in self.folders() else None
        return f":(glob){layout.INCIDENTS}/*/*/{incident_id}/**"

    def diff(self, incident_id: str, rev: str) -> str:
        return self.git.commit_diff(self.git.verify_rev(rev), [self._pathspec(incident_id)])

    def show_at(self, incident_id: str, rev: str) -> IncidentRecord:
        """The incident as it was at `rev` (read from git; nothing on disk changes)."""
        from .tomlfile import decode_incident

        sha = self.git.verify_rev(rev)
        folder_rel = self._folder_at(incident_id, sha)
        if folder_rel is None:
            raise NotFound(f"incident {incident_id!r} did not exist at {rev}")
        toml_bytes = self.git.show_bytes(sha, f"{folder_rel}/{layout.INCIDENT_FILE}")
        if toml_bytes is None:
            raise NotFound(f"incident {incident_id!r} has no {layout.INCIDENT_FILE} at {rev}")
        label = Path(f"{rev[:8]}:{folder_rel}/{layout.INCIDENT_FILE}")
        toml = decode(toml_bytes, label)
        incident = decode_incident(toml.text, label)
        md_bytes = self.git.show_bytes(sha, f"{folder_rel}/{layout.NARRATIVE_FILE}")
        md = decode(md_bytes, label) if md_bytes is not None else None
        return IncidentRecord(incident, md.text if md else "", self.root / folder_rel, toml, md)

    def _folder_at(self, incident_id: str, sha: str) -> str | None:
        suffix = f"/{incident_id}/{layout.INCIDENT_FILE}"
        listing: str = self.git.repo.git.ls_tree("-r", "--name-only", sha, "--", layout.INCIDENTS)
        for path in listing.splitlines():
            if path.endswith(suffix) and path.count("/") == 4:
                return path[: -len(layout.INCIDENT_FILE) - 1]
        return None

    def restore(self, record: IncidentRecord, rev: str) -> IncidentRecord:
        """Bring back the version at `rev` as a new commit; history is never rewritten."""
        return writes.restore_version(self, record, rev, self.git.verify_rev)

    # ------------------------------------------------------------------------------- taxonomy
    def taxonomy_file(self) -> TextFile:
        """taxonomy.toml as read now, with its hash: pass it back to `save_taxonomy` as `base`."""
        return self.boundary.read_text(layout.TAXONOMY)

    def save_taxonomy(
        self, taxonomy: Taxonomy, what: str, *, base: TextFile | None = None, renamed: dict[str, str] | None = None
    ) -> Commit | None:
        """Write `taxonomy` into taxonomy.toml through the comment-preserving merge, as one commit.

        `base` is the file the edit started from: if taxonomy.toml changed on disk since, nothing is
        written (OutsideEdit). `renamed` maps old mode ids to new ones, so a renamed mode keeps its
        lines, comments and formatting instead of being rewritten as a new entry.
        """
        from .tomlfile import merge_model, rename_aot_ids

        path = self.root / layout.TAXONOMY
        with self.lock:  # the outside-edit check and the write, with no other writer in between
            current = self.boundary.read_text(path)
            if base is not None and base.sha256 != current.sha256:
                raise OutsideEdit(self.display(path))
            text = rename_aot_ids(current.text, "modes", renamed) if renamed else current.text
            return self.save_taxonomy_text(merge_model(text, taxonomy), what)

    def save_taxonomy_text(self, text: str, what: str) -> Commit | None:
        from ..domain.taxonomy import Taxonomy
        from .tomlfile import parse_toml, validate

        self.check_writable("edit the taxonomy")
        path = self.root / layout.TAXONOMY
        validate(Taxonomy, parse_toml(text, self.display(path)), text, self.display(path))
        with self.lock:
            current = self.boundary.read_text(path)
            self.boundary.check_write(path)
            atomic_write(path, current.encode(text))
            try:
                return self.git.commit([layout.TAXONOMY], message("taxonomy", "", what))
            except BaseException as exc:  # not committed: taxonomy.toml goes back as it was
                atomic_write(path, current.encode())
                self.git.unstage([layout.TAXONOMY])
                raise nothing_written(exc) from None


def nothing_written(exc: BaseException) -> BaseException:
    """The same refusal, saying that the edit was rolled back (a StoreError of the same kind)."""
    if isinstance(exc, StoreError) and type(exc).__init__ is StoreError.__init__:
        return type(exc)(
            f"{exc}. Nothing was written: the files are as they were, so running it again makes the edit once"
        )
    return exc


def errno_name(code: int | None) -> str:
    import errno

    return errno.errorcode.get(code or 0, str(code))


def incident_label(record: IncidentRecord, folder: Path) -> str:
    return record.id or folder.name


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".git", "__pycache__", ".workbench"))
