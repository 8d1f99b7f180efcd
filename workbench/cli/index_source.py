"""What the learning and taxonomy commands read instead of every incident: the search index's profiles.

`workbench similar|suggest|stats` and `workbench taxonomy list|show` need tags, causes and titles, not full
models: loading 10,000 incidents took ~25 s of CPU and ~700 MB; the index keeps a profile per incident
(services/learning/source.py) and catches up with the files first, so the answer is the same.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..services.learning.profile import Profile
    from ..services.search import SearchEngine
    from ..store import Store


def learning_index(store: Store) -> SearchEngine:
    """The search index (built on first use, then caught up with the files). Incidents that do not load are
    left out, one line each on stderr, as `validate` words them."""
    from ..services.search import SearchEngine
    from .common import index_progress

    engine = SearchEngine(store.root)
    engine.open(index_progress())  # a first build of 10,000 incidents takes seconds: say so on a terminal
    for excerpt in engine.excerpts():
        for p in excerpt.problems:  # the store's own messages, kept in the index: as load_all reports them
            where = f"{p['path']}:{p['line']}" if p.get("line") else p["path"]
            print(f"skipped (could not load): {where}: {p.get('field') or '-'}: {p['message']}", file=sys.stderr)
    return engine


def incident_profiles(store: Store) -> list[Profile]:
    """Every loadable incident's profile (no words) in id order, as `Store.load_all` lists its records. An id
    used by two folders loads from neither (the store refuses to guess), so it is left out here too."""
    from ..services.learning import source

    profiles = source.profiles(learning_index(store))
    uses = Counter(p.id for p in profiles)
    for incident_id, n in sorted(uses.items()):
        if n > 1:
            print(f"skipped (could not load): id {incident_id!r} is used by {n} incident folders", file=sys.stderr)
    return sorted((p for p in profiles if uses[p.id] == 1), key=lambda p: p.id)
