"""The AI failure-mode taxonomy: families of modes, with aliases so renamed modes still resolve."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .model import Model, ModeId, Short, Text

NistFunction = Literal["govern", "map", "measure", "manage"]


class Mappings(Model):
    atlas: list[Annotated[str, Field(pattern=r"^AML\.[A-Z]+\d+(\.\d+)?$")]] = []
    owasp_llm: list[Annotated[str, Field(pattern=r"^LLM(0[1-9]|10):2025$")]] = []
    nist_ai_rmf: list[NistFunction] = []


class Mode(Model):
    id: ModeId
    name: Short
    family: ModeId
    description: Text
    detection: list[Text] = []
    keywords: list[Short] = []
    aliases: list[ModeId] = []
    deprecated: bool = False
    replaced_by: ModeId | None = None
    mappings: Mappings = Mappings()


class Family(Model):
    id: ModeId
    name: Short
    description: Text = ""


class Taxonomy(Model):
    schema_version: int = 1
    families: list[Family] = []
    modes: list[Mode] = []

    @model_validator(mode="after")
    def _consistent(self) -> Taxonomy:
        family_ids = {f.id for f in self.families}
        seen: dict[str, str] = {}
        for mode in self.modes:
            if mode.family not in family_ids:
                raise ValueError(f"mode {mode.id}: family {mode.family!r} is not defined")
            for key in (mode.id, *mode.aliases):
                if key in seen:
                    raise ValueError(f"mode id or alias {key!r} is used by both {seen[key]} and {mode.id}")
                seen[key] = mode.id
        return self

    def resolve(self, mode_id: str) -> Mode | None:
        """The mode an id or alias names now, following merges (`replaced_by`) to the live mode."""
        by_key: dict[str, Mode] = {}
        for each in self.modes:
            by_key[each.id] = each
            for alias in each.aliases:
                by_key.setdefault(alias, each)
        mode = by_key.get(mode_id)
        hops = 0
        while mode is not None and mode.replaced_by and hops < 20:
            mode = by_key.get(mode.replaced_by, mode)
            hops += 1
        return mode

    def family(self, family_id: str) -> Family | None:
        return next((f for f in self.families if f.id == family_id), None)

    def modes_of(self, family_id: str) -> list[Mode]:
        return [m for m in self.modes if m.family == family_id]
