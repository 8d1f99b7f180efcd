"""Evidence: the files an incident's claims rest on, and the method's data-collection checklist.

locker.py      files kept beside incident.toml in `evidence/`, listed with their SHA-256 in the manifest
collection.py  for each source the method asks for, gathered (with its evidence) or marked missing
"""

__all__ = ["collection", "locker"]
