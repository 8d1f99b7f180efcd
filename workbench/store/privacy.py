"""Whether a store is private (`store.toml`: private = true). Its own module, free of GitPython: every store
asks at open (to guard a private one against pushes), and a start must not pay for importing git."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from .boundary import Boundary
from .errors import StoreError

STORE_FILE = "store.toml"


def is_private(root: Path) -> bool:
    path = root / STORE_FILE
    if not os.path.lexists(path):
        return False
    try:
        return bool(tomllib.loads(Boundary(root).read_text(path).text).get("private", False))
    except (tomllib.TOMLDecodeError, OSError, StoreError, RecursionError):
        return True  # unreadable or refused settings: the safe reading is "private"
