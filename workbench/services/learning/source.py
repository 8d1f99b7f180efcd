"""Where learning across incidents gets its data: the search index's profiles, never every full model.

Suggestions, similar incidents, `workbench similar|suggest|stats` and the Learning screen need tags,
causes, actions and the words of each incident. The search index keeps exactly that per file content
(search/extract.py makes it while indexing), so these read one JSON line per incident instead of
validating 10,000 models (~700 MB and ~30 s of CPU on the 10k store).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

import orjson

from .memory import cyclic_gc_held_off
from .profile import Profile

T = TypeVar("T")

if TYPE_CHECKING:
    from ...domain.taxonomy import Taxonomy
    from ..search import SearchEngine
    from .similar import SimilarityIndex
    from .suggest import Suggester


def _caught_up(engine: SearchEngine, read: Callable[[], T]) -> T:
    """Catch the index up with the files (opening or building it if needed), then `read`; a damaged cache is
    rebuilt from the files and read again."""
    from ..search import CorruptSegment

    if engine.base is None:
        engine.open()
    else:
        engine.refresh()
    try:
        return read()
    except CorruptSegment:
        engine.refresh()  # rebuilds from the files: the cache was damaged
        return read()


def profile_lines(engine: SearchEngine) -> list[bytes]:
    """Catch the index up with the files (opening or building it if needed), then every incident's line.
    Incidents whose files do not load are left out, as `Store.load_all` leaves them out."""
    return _caught_up(engine, engine.profile_lines)


def iter_profile_lines(engine: SearchEngine) -> Iterator[bytes]:
    """`profile_lines` one line at a time, never all of them at once (~30 MB at 10,000 incidents). The index is
    caught up and its files checked before this returns; a damaged cache is rebuilt here, as there."""
    return _caught_up(engine, engine.iter_profile_lines)


def stream_profiles(engine: SearchEngine) -> Iterator[Profile]:
    """Every loadable incident's profile, without its words, made as the caller asks for the next: statistics
    (`compute_stats`) keep only their figures of each, so 10,000 profiles (~90 MB resident) never live at once."""
    return iter_profiles(iter_profile_lines(engine), keep_words=False)


WORDS_KEY = b',"words":{'


def split_words(line: bytes) -> tuple[bytes, bytes | None]:
    """A profile line as (everything but its words, its words' JSON object or None when it has none).

    The words are most of a line (~2/3 on the 10k store) and most of the objects parsing makes: statistics
    need none of them, and a similarity index wants them only as matrix columns. `Profile.to_json` writes
    "words" last; the key can only be the top-level one, since every other value before it is a string, a
    number or a list (a `"` inside a JSON string is always escaped, so `,"words":{` cannot occur in one)."""
    at = line.find(WORDS_KEY)
    if at < 0 or not line.endswith(b"}}"):
        return line, None
    return line[:at] + b"}", line[at + len(WORDS_KEY) - 1 : -1]


def iter_profiles(lines: Iterable[bytes], keep_words: bool = True) -> Iterator[Profile]:
    """Parsed one at a time, so a similarity index can take each profile's words and let them go. Without
    words, the words' JSON is cut off before parsing (see `split_words`)."""
    for line in lines:
        if keep_words:
            yield Profile.from_json(orjson.loads(line), keep_words=True)
        else:
            yield Profile.from_json(orjson.loads(split_words(line)[0]), keep_words=False)


def profiles(engine: SearchEngine, keep_words: bool = False) -> list[Profile]:
    """Every loadable incident's profile (without its words unless asked: statistics need none)."""
    lines = profile_lines(engine)
    with cyclic_gc_held_off():  # see services/learning/memory.py: ~150,000 objects, none in a cycle
        return list(iter_profiles(lines, keep_words))


def similarity_index(engine: SearchEngine, taxonomy: Taxonomy) -> SimilarityIndex:
    """From the whole list of lines, not `iter_profile_lines`: streamed (~30 MB less at 10,000 incidents), the build
    in the Taxonomy pane's thread held the event loop 0.45-1.1 s near idle (36-48 ms from the list; stop 27,
    `benchmarks/screens.py`), so the list it is."""
    from .similar import SimilarityIndex

    lines = profile_lines(engine)
    with cyclic_gc_held_off():
        return SimilarityIndex(iter_profiles(lines), taxonomy)


def suggester(engine: SearchEngine, taxonomy: Taxonomy) -> Suggester:
    from .suggest import Suggester

    return Suggester(taxonomy, similar=similarity_index(engine, taxonomy))
