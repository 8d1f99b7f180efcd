"""What the method asks at each stage, as data (method_guide.toml), and which evidence is already cited."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...domain.model import STAGES, Impact, Incident

GUIDE_FILE = Path(__file__).with_name("method_guide.toml")


@dataclass(frozen=True)
class SourceKind:
    id: str
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class StageGuide:
    id: str
    title: str
    goal: str
    asks: tuple[str, ...]
    sources: tuple[SourceKind, ...] = ()
    five_whys: tuple[str, ...] = ()
    barrier_questions: tuple[str, ...] = ()
    lenses: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def guide() -> dict[str, StageGuide]:
    data = tomllib.loads(GUIDE_FILE.read_text(encoding="utf-8"))
    out: dict[str, StageGuide] = {}
    for s in data["stages"]:
        out[s["id"]] = StageGuide(
            s["id"],
            s["title"],
            s["goal"],
            tuple(s.get("asks", ())),
            tuple(SourceKind(k["id"], k["label"], tuple(k["keywords"])) for k in s.get("sources", ())),
            tuple(s.get("five_whys", ())),
            tuple(s.get("barrier_questions", ())),
            tuple(s.get("lenses", ())),
        )
    missing = [s for s in STAGES if s not in out]
    if missing:  # a packaging error, not user input
        raise RuntimeError(f"method_guide.toml has no entry for stages {missing}")
    return out


def evidence_coverage(incident: Incident) -> list[tuple[SourceKind, int]]:
    """Each data-collection source kind with how many cited sources mention it (0 = not yet cited)."""
    cited = [
        p.lower()
        for p in (
            [e.source for e in incident.timeline]
            + [o.source for o in incident.observations]
            + [getattr(incident.impact, n).source for n in Impact.FIGURES]
        )
        if p
    ]
    out = []
    for kind in guide()["data-collection"].sources:
        count = sum(1 for text in cited if any(k in f" {text} " for k in kind.keywords))
        out.append((kind, count))
    return out
