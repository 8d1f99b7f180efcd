"""The parsed features blame_train.py learns from, kept on disk so a cross-validation costs minutes, not an hour.

Parsing ~4,000 labelled sentences and the 52 real postmortems (the phrase layer, the grammar and the features of
every sentence, and the import of each postmortem) took ~60 minutes at load 14-22 (stop 31). Each row's result is
kept here, keyed by its text, place and the people named, in a file per *version*: a hash of every source file
whose code makes features (the checks package but its trained weights, the domain and store modules they read,
blame_eval's incident builder, this module) and of spaCy's and its model's versions. A change to any of them
starts a new file, so a stale cache is never read; old files are removed when a new one is written. The version is
taken when a run starts, before the code it names is imported, so an edit made during a run is not cached under
the new code's name. The real postmortems' spans are kept the same way, keyed by each file's bytes and the
importer's code.

The folder, .workbench-cache/blame-train/, is ignored by git: a cache is never committed.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [p for p in (str(ROOT), str(ROOT / "benchmarks")) if p not in sys.path]
FOLDER = ROOT / ".workbench-cache" / "blame-train"
FORMAT = 1
# What makes a row's phrase flag, pre-filter verdict and features. blame_model.json is left out on purpose: the
# features do not read the weights, and a refit must not throw the parses away.
FEATURE_SOURCES = (
    "workbench/services/review/checks",
    "workbench/domain",
    "workbench/store",
    "benchmarks/blame_eval.py",
    "benchmarks/blame_features.py",
)
LEFT_OUT = frozenset({"blame_model.json"})
# What turns a postmortem file into spans (the reader, the clock parsers, the checks' span walker).
IMPORT_SOURCES = ("workbench/services/importing", "workbench/services/review/checks/text.py", "workbench/domain")


def version(sources: Iterable[str], root: Path = ROOT, extra: str = "") -> str:
    """A hash of the named files and folders (every .py and .toml under a folder, by relative path) and `extra`."""
    digest = hashlib.sha256(f"{FORMAT}\0{extra}".encode())
    for source in sources:
        path = root / source
        files = sorted(p for p in path.rglob("*") if p.suffix in (".py", ".toml")) if path.is_dir() else [path]
        for file in files:
            if file.name in LEFT_OUT or "__pycache__" in file.parts or not file.is_file():
                continue
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def spacy_versions() -> str:
    """spaCy's version and its pipelines' (read from the installed packages, nothing imported): a new parser
    changes the parses."""
    from importlib import metadata

    found = set()
    for dist in metadata.distributions():
        name = str(dist.metadata["Name"] or "").lower().replace("-", "_")
        if name == "spacy" or name.startswith("en_core_web"):
            found.add(f"{name}={dist.version}")
    return " ".join(sorted(found))


class Cache:
    """A dictionary on disk for one version: `get` answers only what the same code wrote."""

    def __init__(self, kind: str, code: str, folder: Path = FOLDER) -> None:
        self.folder = folder
        self.kind = kind
        self.path = folder / f"{kind}-{code}.pickle"
        self.entries: dict[str, Any] = {}
        self.changed = False
        try:
            data = pickle.loads(self.path.read_bytes())
            if isinstance(data, dict):
                self.entries = data
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # absent or damaged: start afresh

    @staticmethod
    def key(*parts: str) -> str:
        return hashlib.sha256("\x01".join(parts).encode()).hexdigest()

    def get(self, key: str) -> Any:
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.entries[key] = value
        self.changed = True

    def save(self) -> None:
        """Write atomically (a temporary file renamed) and drop the files older versions left."""
        if not self.changed:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(self.entries, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(self.path)
        self.changed = False
        for old in self.folder.glob(f"{self.kind}-*.pickle"):
            if old != self.path:
                old.unlink(missing_ok=True)


CHUNK = 500
Parsed = tuple[bool, bool, tuple[tuple[tuple[str, ...], bool], ...]]  # phrase flag, pre-filter, per sentence


def featurise(items: list[tuple[str, str, bool]], people: Iterable[str], cache: Cache | None = None) -> list[Parsed]:
    """Per item (place, text, whether to run the phrase layer): the phrase layer's verdict, the grammar's
    pre-filter and, per sentence, the model's features and whether a grammar rule hit. Cached rows are not
    parsed again; spaCy is loaded only when something is missing."""
    from dataclasses import replace

    from blame_eval import incident_with
    from workbench.services.review.checks import blame_grammar, bundled_config, run_checks

    names = "\0".join(sorted(set(people)))
    keys = [Cache.key(place, text, names, str(phrase)) for place, text, phrase in items]
    out: list[Parsed | None] = [cache.get(k) if cache is not None else None for k in keys]
    todo = [i for i, found in enumerate(out) if found is None]
    config = replace(bundled_config(), people=tuple(sorted(set(people))), grammar=False)
    for start in range(0, len(todo), CHUNK):  # saved after each chunk: an interrupted run keeps what it parsed
        chunk = todo[start : start + CHUNK]
        phrase = {}
        for i in chunk:
            place, text, wanted = items[i]
            if wanted:
                incident, narrative = incident_with(place, text)
                phrase[i] = bool(run_checks(incident, narrative, config=config, families=("blame",)))
        parse = [i for i in chunk if blame_grammar.candidate(items[i][1])]
        texts, places = [items[i][1] for i in parse], [items[i][0] for i in parse]
        analysed = blame_grammar.analyse(texts, places, people) if parse else []
        sentences = {
            i: tuple((tuple(s.features), bool(s.hits)) for s in found) for i, found in zip(parse, analysed, strict=True)
        }
        for i in chunk:
            row: Parsed = (phrase.get(i, False), i in sentences, sentences.get(i, ()))
            out[i] = row
            if cache is not None:
                cache.put(keys[i], row)
        if cache is not None:
            cache.save()
    return [row for row in out if row is not None]


def feature_cache() -> Cache:
    return Cache("features", version(FEATURE_SOURCES, extra=spacy_versions()))


def real_spans(prose: Path, cache: Cache | None = None) -> list[tuple[str, str, str]]:
    """(file name, place, text) of every non-empty prose span of each postmortem in `prose`, as `workbench lint`
    reads it after import; a file already read with the same importer code is taken from the cache."""
    from workbench.services.importing.postmortem import clock
    from workbench.services.importing.postmortem.reader import PostmortemReader
    from workbench.services.review.checks import blame_model
    from workbench.services.review.checks.text import Context

    out: list[tuple[str, str, str]] = []
    for path in sorted(prose.glob("*.md")):
        raw = path.read_bytes()
        key = Cache.key(path.name, hashlib.sha256(raw).hexdigest())
        spans = cache.get(key) if cache is not None else None
        if spans is None:
            reading = PostmortemReader(raw.decode("utf-8"), path.name, parse=clock.PARSERS["dateutil"]).run(None, set())
            spans = [
                (blame_model.place_of(span.loc), span.text)
                for span in Context(reading.incident, reading.narrative).all_spans()
                if span.text.strip()
            ]
            if cache is not None:
                cache.put(key, spans)
        out.extend((path.name, place, text) for place, text in spans)
    if cache is not None:
        cache.save()
    return out


def span_cache() -> Cache:
    return Cache("spans", version(IMPORT_SOURCES))
