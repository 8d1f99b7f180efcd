"""Themes are files (themes/*.toml) turned into Textual themes; stylesheets use only theme variables."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.theme import Theme

_FIELDS = {
    "name",
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "dark",
    "luminosity_spread",
    "text_alpha",
    "variables",
}


def load_themes(folder: Path) -> tuple[list[Theme], list[str]]:
    themes, problems = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
            unknown = set(data) - _FIELDS
            if unknown:
                raise ValueError(f"unknown keys {sorted(unknown)}")
            themes.append(Theme(**data))
        except (tomllib.TOMLDecodeError, ValueError, TypeError, OSError) as exc:
            problems.append(f"{path}: theme not loaded ({exc})")
    return themes, problems
