"""The living taxonomy: add, edit, rename, merge and deprecate failure modes, each as one commit.

Each edit is a pure function from a Taxonomy to a `TaxonomyEdit` (the new taxonomy, a commit message
and the ids it renamed), so the CLI and the UI share the rules and can show an edit before committing
it. `commit_edit` writes it through the store's comment-preserving path.

Incidents are never rewritten by a taxonomy edit: a renamed or merged mode keeps its old id as an
alias (or a deprecated entry with `replaced_by`), so every existing tag still resolves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from ...domain.ids import slugify
from ...domain.taxonomy import Mappings, Mode, Taxonomy
from ...store import Commit, Store, StoreError
from ...store.layout import TAXONOMY
from ...store.textio import TextFile
from ...store.tomlfile import parse_toml, validate

MergeKeep = Literal["alias", "replaced_by"]
EDITABLE = ("name", "family", "description", "detection", "keywords", "mappings", "deprecated", "replaced_by")


class TaxonomyEditError(StoreError):
    """An edit that would leave the taxonomy inconsistent; the message says why."""


@dataclass(frozen=True)
class TaxonomyEdit:
    taxonomy: Taxonomy
    what: str  # the commit subject's last part
    renamed: dict[str, str] = field(default_factory=dict)


def _rebuild(modes: list[Mode], taxonomy: Taxonomy) -> Taxonomy:
    data = taxonomy.model_dump()
    data["modes"] = [m.model_dump() for m in modes]
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        raise TaxonomyEditError(f"{where + ': ' if where else ''}{message}") from None


def _mode(taxonomy: Taxonomy, mode_id: str) -> Mode:
    for mode in taxonomy.modes:
        if mode.id == mode_id:
            return mode
    owner = next((m for m in taxonomy.modes if mode_id in m.aliases), None)
    if owner is not None:
        raise TaxonomyEditError(f"{mode_id!r} is an alias of {owner.id!r}; edit {owner.id!r} instead")
    raise TaxonomyEditError(f"no mode {mode_id!r} in taxonomy.toml")


def _taken(taxonomy: Taxonomy, key: str, allow: Mode | None = None) -> Mode | None:
    for mode in taxonomy.modes:
        if mode is allow:
            continue
        if mode.id == key or key in mode.aliases:
            return mode
    return None


def _union(*lists: Sequence[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for items in lists:
        for item in items:
            if item.casefold() not in seen:
                seen.add(item.casefold())
                out.append(item)
    return out


def _chain_reaches(taxonomy: Taxonomy, start: str | None, target: str) -> bool:
    """Would following `replaced_by` from `start` come back to `target`?"""
    by_id = {m.id: m for m in taxonomy.modes}
    hops = 0
    while start is not None and hops < 100:
        if start == target:
            return True
        mode = by_id.get(start)
        start = mode.replaced_by if mode else None
        hops += 1
    return False


def suggested_id(family: str, name: str) -> str:
    """`family.slug-of-name`: the convention the bundled taxonomy follows."""
    return f"{family}.{slugify(name, limit=60)}"


# ----------------------------------------------------------------------------------------- edits
def add_mode(taxonomy: Taxonomy, mode: Mode) -> TaxonomyEdit:
    if taxonomy.family(mode.family) is None:
        known = ", ".join(f.id for f in taxonomy.families)
        raise TaxonomyEditError(f"family {mode.family!r} is not defined (families: {known})")
    other = _taken(taxonomy, mode.id)
    if other is not None:
        raise TaxonomyEditError(f"{mode.id!r} is already used by mode {other.id!r}")
    if mode.replaced_by and taxonomy.resolve(mode.replaced_by) is None:
        raise TaxonomyEditError(f"replaced_by {mode.replaced_by!r} is not a mode")
    # A new mode goes after the last mode of its family, so the file stays grouped by family.
    modes = list(taxonomy.modes)
    last = max((i for i, m in enumerate(modes) if m.family == mode.family), default=len(modes) - 1)
    modes.insert(last + 1, mode)
    return TaxonomyEdit(_rebuild(modes, taxonomy), f"add mode {mode.id} ({mode.name})")


def edit_mode(taxonomy: Taxonomy, mode_id: str, **changes: Any) -> TaxonomyEdit:
    mode = _mode(taxonomy, mode_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TaxonomyEditError(f"cannot edit {', '.join(sorted(unknown))} this way (editable: {', '.join(EDITABLE)})")
    if "mappings" in changes and isinstance(changes["mappings"], dict):
        changes["mappings"] = Mappings.model_validate(changes["mappings"])
    if "family" in changes and taxonomy.family(changes["family"]) is None:
        raise TaxonomyEditError(f"family {changes['family']!r} is not defined")
    target = changes.get("replaced_by")
    if target is not None:
        if _mode_or_none(taxonomy, target) is None:
            raise TaxonomyEditError(f"replaced_by {target!r} is not a mode id")
        if _chain_reaches(taxonomy, target, mode.id):
            raise TaxonomyEditError(f"{mode.id} cannot be replaced by {target}: it would loop back to itself")
    changed = [k for k, v in changes.items() if getattr(mode, k) != v]
    if not changed:
        raise TaxonomyEditError(f"nothing to change in {mode.id}")
    try:
        updated = Mode.model_validate({**mode.model_dump(), **{k: _dump(v) for k, v in changes.items()}})
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise TaxonomyEditError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    modes = [updated if m is mode else m for m in taxonomy.modes]
    return TaxonomyEdit(_rebuild(modes, taxonomy), f"edit mode {mode.id} ({', '.join(changed)})")


def _dump(value: Any) -> Any:
    return value.model_dump() if hasattr(value, "model_dump") else value


def _mode_or_none(taxonomy: Taxonomy, mode_id: str) -> Mode | None:
    return next((m for m in taxonomy.modes if m.id == mode_id), None)


def rename_mode(taxonomy: Taxonomy, old: str, new: str, name: str | None = None) -> TaxonomyEdit:
    """New id; the old id becomes an alias, so incidents tagged with it still resolve to this mode."""
    mode = _mode(taxonomy, old)
    if new == old:
        raise TaxonomyEditError(f"{old!r} already has that id")
    other = _taken(taxonomy, new, allow=mode)
    if other is not None:
        raise TaxonomyEditError(f"{new!r} is already used by mode {other.id!r}")
    aliases = [a for a in mode.aliases if a != new]  # renaming back to an old id takes it out of the aliases
    aliases.append(old)
    update: dict[str, Any] = {"id": new, "aliases": aliases}
    if name:
        update["name"] = name
    try:
        renamed = Mode.model_validate({**mode.model_dump(), **update})
    except ValidationError:
        raise TaxonomyEditError(f"{new!r} is not a valid mode id (lowercase letters, digits, '.', '-', '_')") from None
    modes = []
    for m in taxonomy.modes:
        if m is mode:
            modes.append(renamed)
        elif m.replaced_by == old:
            modes.append(m.model_copy(update={"replaced_by": new}))
        else:
            modes.append(m)
    return TaxonomyEdit(_rebuild(modes, taxonomy), f"rename mode {old} to {new} (old id kept as alias)", {old: new})


def merge_modes(taxonomy: Taxonomy, absorbed: str, into: str, keep_as: MergeKeep = "alias") -> TaxonomyEdit:
    """Fold `absorbed` into `into`: its keywords, hints and mappings join `into`'s.

    keep_as="alias": `absorbed` disappears and its id (and aliases) become aliases of `into`.
    keep_as="replaced_by": `absorbed` stays in the file, deprecated, with `replaced_by = into`.
    Either way a tag naming `absorbed` now resolves to `into`.
    """
    if absorbed == into:
        raise TaxonomyEditError("a mode cannot be merged into itself")
    gone = _mode(taxonomy, absorbed)
    keep = _mode(taxonomy, into)
    if keep.deprecated:
        raise TaxonomyEditError(f"{into} is deprecated; merge into a live mode")
    if _chain_reaches(taxonomy, keep.replaced_by, gone.id):
        raise TaxonomyEditError(f"{into} is replaced by {absorbed}; merging would make a loop")
    mappings = Mappings(
        atlas=_union(keep.mappings.atlas, gone.mappings.atlas),
        owasp_llm=_union(keep.mappings.owasp_llm, gone.mappings.owasp_llm),
        nist_ai_rmf=_union(keep.mappings.nist_ai_rmf, gone.mappings.nist_ai_rmf),
    )
    update: dict[str, Any] = {
        "keywords": _union(keep.keywords, gone.keywords),
        "detection": _union(keep.detection, gone.detection),
        "mappings": mappings,
    }
    if keep_as == "alias":
        update["aliases"] = _union(keep.aliases, [gone.id], gone.aliases)
    merged = keep.model_copy(update=update)
    modes: list[Mode] = []
    for m in taxonomy.modes:
        if m is keep:
            modes.append(merged)
        elif m is gone:
            if keep_as == "replaced_by":
                modes.append(m.model_copy(update={"deprecated": True, "replaced_by": into}))
        elif m.replaced_by == absorbed:
            modes.append(m.model_copy(update={"replaced_by": into}))
        else:
            modes.append(m)
    how = "kept as alias" if keep_as == "alias" else "kept as deprecated, replaced_by"
    return TaxonomyEdit(_rebuild(modes, taxonomy), f"merge mode {absorbed} into {into} ({how})")


def deprecate_mode(taxonomy: Taxonomy, mode_id: str, replaced_by: str | None = None, reason: str = "") -> TaxonomyEdit:
    """Mark a mode deprecated: its tags still resolve (to `replaced_by` when given) and validate warns."""
    mode = _mode(taxonomy, mode_id)
    if mode.deprecated and mode.replaced_by == replaced_by:
        raise TaxonomyEditError(f"{mode_id} is already deprecated")
    if replaced_by is not None:
        target = _mode(taxonomy, replaced_by)
        if target is mode:
            raise TaxonomyEditError("a mode cannot replace itself")
        if _chain_reaches(taxonomy, target.replaced_by, mode.id):
            raise TaxonomyEditError(f"{replaced_by} is replaced by {mode_id}; that would make a loop")
    updated = mode.model_copy(update={"deprecated": True, "replaced_by": replaced_by})
    modes = [updated if m is mode else m for m in taxonomy.modes]
    what = f"deprecate mode {mode_id}" + (f" (replaced by {replaced_by})" if replaced_by else "")
    if reason.strip():
        what += f": {reason.strip()}"
    return TaxonomyEdit(_rebuild(modes, taxonomy), what)


# ---------------------------------------------------------------------------------------- commit
def commit_edit(store: Store, edit: TaxonomyEdit, base: TextFile | None = None) -> Commit | None:
    """Write the edited taxonomy as one commit (`taxonomy: taxonomy: <what>`)."""
    return store.save_taxonomy(edit.taxonomy, edit.what, base=base, renamed=edit.renamed or None)


def load_for_edit(store: Store) -> tuple[Taxonomy, TextFile]:
    """The taxonomy and the file it came from, so a commit can refuse to clobber an outside edit."""
    base = store.taxonomy_file()
    label = store.display(store.root / TAXONOMY)
    return validate(Taxonomy, parse_toml(base.text, label), base.text, label), base
