"""What keeps an object alive: the chains of references from it back to a root (a module, a running frame, an
object the collector does not track), for a test that expected the object to be freed to say why it was not.

    assert gone() is None, holders(gone())

`gc.get_referrers` does not look into the permanent generation (what `gc.freeze` moved there), so the caller
thaws first (`gc.unfreeze()`) when something may be frozen.
"""

from __future__ import annotations

import gc
import inspect
import types
from typing import Any

_ROOT_TYPES = (types.ModuleType, types.FrameType, type)


def _describe(obj: Any) -> str:
    if isinstance(obj, types.FrameType):
        return f"frame {obj.f_code.co_name} ({obj.f_code.co_filename}:{obj.f_lineno})"
    if isinstance(obj, types.ModuleType):
        return f"module {obj.__name__}"
    if isinstance(obj, dict):
        keys = list(obj)[:6]
        return f"dict with keys {keys!r}"
    if isinstance(obj, (list, tuple, set, frozenset)):
        return f"{type(obj).__name__} of {len(obj)}"
    if isinstance(obj, types.CellType):
        return "cell"
    if isinstance(obj, types.CoroutineType):
        return f"coroutine {obj.__qualname__}"
    if isinstance(obj, (types.FunctionType, types.MethodType)):
        return f"{type(obj).__name__} {getattr(obj, '__qualname__', '?')}"
    text = repr(obj) if type(obj).__repr__ is not object.__repr__ else ""
    return f"{type(obj).__module__}.{type(obj).__qualname__} {text[:80]}".rstrip()


def holders(target: Any, depth: int = 12, chains: int = 5) -> str:
    """Up to `chains` shortest reference chains from `target` to a root, one per line, root last."""
    if target is None:
        return "freed"
    ignore = {id(inspect.currentframe())}  # this helper's own frame is not a holder
    found: list[list[Any]] = []
    seen = {id(target)}
    level: list[list[Any]] = [[target]]
    for _ in range(depth):
        nxt: list[list[Any]] = []
        ignore.update(id(chain) for chain in level)
        for chain in level:
            referrers = gc.get_referrers(chain[-1])
            ignore.add(id(referrers))
            for ref in referrers:
                if id(ref) in ignore or id(ref) in seen or ref is level or ref is nxt:
                    continue
                seen.add(id(ref))
                path = [*chain, ref]
                if isinstance(ref, _ROOT_TYPES) or not gc.is_tracked(ref):
                    found.append(path)
                    if len(found) >= chains:
                        return _lines(found)
                else:
                    nxt.append(path)
            del referrers
        if not nxt:
            if not found:
                return "no chain to a root: only a reference cycle holds it (garbage a collection would free)"
            break
        level = nxt
    else:
        if not found:
            return f"no root within {depth} references (a longer chain, or a cycle larger than that)"
    return _lines(found)


def _lines(found: list[list[Any]]) -> str:
    return "\n".join(" <- ".join(_describe(o) for o in path) for path in found)
