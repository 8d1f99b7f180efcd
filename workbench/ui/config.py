"""The user's settings: theme choice and key bindings, in $XDG_CONFIG_HOME/postmortem-workbench/.

config.toml   theme = "workbench-dark"
keymap.toml   [keys]  binding-id = "ctrl+s"   (ids are listed by the help screen, `?`)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from ..store import atomic_write


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "postmortem-workbench"


@dataclass
class UserConfig:
    theme: str = "workbench-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> UserConfig:
        config = cls()
        path = config_dir() / "config.toml"
        data = _read(path, config.problems)
        if isinstance(data.get("theme"), str):
            config.theme = data["theme"]
        keys = _read(config_dir() / "keymap.toml", config.problems).get("keys", {})
        if isinstance(keys, dict):
            config.keymap = {str(k): str(v) for k, v in keys.items() if isinstance(v, str)}
        return config

    def save_theme(self, theme: str) -> None:
        self.theme = theme
        path = config_dir() / "config.toml"
        data = _read(path, [])
        data["theme"] = theme
        atomic_write(path, tomli_w.dumps(data).encode())


def _read(path: Path, problems: list[str]) -> dict:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        problems.append(f"{path}: ignored ({exc})")
        return {}
