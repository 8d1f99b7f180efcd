"""Error/warning counts of the method's checks per incident, cached by the bytes they depend on.

The start screen shows these counts for every listed incident. Counting one needs the whole incident
(read, validate, run every check: ~5 ms), which at a thousand rows is seconds of CPU competing with the
first paint. The counts depend only on the incident's three files, the store's rules
(`.workbench-rules/`) and the check code, so they are kept in `.workbench/cache/findings.json` under a
hash of those bytes: a warm start reads them back and recounts only what changed. The cache is never
trusted over the files (a changed byte means a recount) and a damaged cache is simply started afresh.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ...store import IncidentRecord, Store
from ...store import StoreError, layout
from ...store.boundary import Boundary
from ...store.textio import atomic_write
from .checks import counts as finding_counts
from .checks import default_config, load_config
from .checks.config import CheckConfig

FORMAT = 1
FILE_NAMES = (layout.INCIDENT_FILE, layout.NARRATIVE_FILE, layout.REVIEW_FILE)


def _rules_key(root: Path) -> str:
    """What every count depends on besides the incident: the store's rules and the checks themselves."""
    digest = hashlib.sha256(f"findings-cache {FORMAT}".encode())
    rules = root / ".workbench-rules"
    code = Path(__file__).resolve().parent / "checks"
    for path in sorted(
        [*rules.glob("*.toml"), *code.glob("*.py"), *code.glob("*.toml"), Path(__file__).resolve().parent / "review.py"]
    ):
        try:
            data = Boundary(root).read_bytes(path) if path.parent == rules else path.read_bytes()
        except (OSError, StoreError):  # missing, or refused at the store boundary (load_config says why)
            continue
        digest.update(path.name.encode() + b"\0" + data)
    return digest.hexdigest()


def _files_key(boundary: Boundary, folder: Path) -> str:
    digest = hashlib.sha256()
    for name in FILE_NAMES:
        try:
            digest.update(name.encode() + b"\0" + boundary.read_bytes(folder / name))
        except FileNotFoundError:
            digest.update(name.encode() + b"\0-")
        except StoreError as exc:  # refused at the store boundary: keyed by the refusal, never read
            digest.update(name.encode() + b"\0!" + str(exc).encode())
    return digest.hexdigest()


class FindingsCache:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.private_dir / "cache" / "findings.json"
        self.rules = _rules_key(store.root)
        self.entries: dict[str, list[object]] = {}  # id -> [files key, counts]
        self.changed = False
        try:
            data = json.loads(self.path.read_bytes())
            if isinstance(data, dict) and data.get("rules") == self.rules and isinstance(data.get("entries"), dict):
                self.entries = data["entries"]
        except (OSError, ValueError):
            pass  # missing or damaged: every count is made again
        self._config: CheckConfig | None = None

    def _config_or_default(self) -> CheckConfig:
        if self._config is None:
            try:
                config = load_config(self.store.root)
            except Exception:  # a broken rules file: the incident screen reports it; counts use the defaults
                config = default_config()
            # Start-up never loads spaCy: blame by grammar counts only where lint or a review already parsed
            # the text (its verdicts are in the store's cache); the Review pane always runs it in full.
            self._config = replace(config, grammar="cached")
        return self._config

    def counts(self, incident_id: str, folder: Path) -> dict[str, int] | None:
        """The counts for one incident, from the cache when its files are unchanged; None when it will not load
        (opening it says why)."""
        key = _files_key(self.store.boundary, folder)
        hit = self.entries.get(incident_id)
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == key and isinstance(hit[1], dict):
            return hit[1]
        from .steps import findings_for

        try:
            record: IncidentRecord = self.store.load_folder(folder)
            found = finding_counts(findings_for(self.store, record, config=self._config_or_default()))
        except Exception:  # an unreadable incident or review.toml
            return None
        self.entries[incident_id] = [key, found]
        self.changed = True
        return found

    def count_all(
        self, folders: dict[str, Path], report: Callable[[dict[str, dict[str, int]]], None], every: float = 0.5
    ) -> dict[str, dict[str, int]]:
        """Counts for every folder; `report` gets what is known so far every `every` seconds while counting
        takes long (a warm cache answers at once, in one report by the caller)."""
        out: dict[str, dict[str, int]] = {}
        last = time.monotonic()
        for incident_id, folder in folders.items():
            found = self.counts(incident_id, folder)
            if found is not None:
                out[incident_id] = found
            if time.monotonic() - last >= every:
                report(dict(out))
                self.save()  # a user who quits early keeps what was counted
                last = time.monotonic()
        self.save()
        return out

    def save(self) -> None:
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"rules": self.rules, "entries": self.entries}).encode())
            self.changed = False
        except OSError:
            pass  # a cache: the next start counts again
