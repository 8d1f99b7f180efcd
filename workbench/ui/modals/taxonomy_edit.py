"""Forms for the living taxonomy: add, edit, rename, merge and deprecate a mode.

Each form's `build` runs the same pure edit the CLI runs (services/taxonomy/edit.py) against the
taxonomy on screen, so a refused edit shows its reason under the form and nothing typed is lost.
The form returns an *operation* (Taxonomy -> TaxonomyEdit); the screen re-runs it on the file as it is
at commit time, so an edit made elsewhere in the meantime is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from ...domain.taxonomy import Mappings, Mode, Taxonomy
from ...services.taxonomy.edit import (
    TaxonomyEdit,
    TaxonomyEditError,
    add_mode,
    deprecate_mode,
    edit_mode,
    merge_modes,
    rename_mode,
    suggested_id,
)
from ..forms import FormError, FormField, FormModal

Operation = Callable[[Taxonomy], TaxonomyEdit]


def _checked(taxonomy: Taxonomy, op: Operation, field: str) -> Operation:
    """Run `op` now to surface its error in the form; hand it back to be run again at commit time."""
    try:
        op(taxonomy)
    except TaxonomyEditError as exc:
        raise FormError({field: str(exc)}) from None
    return op


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _mode_fields() -> list[FormField]:
    return [
        FormField("name", "Name"),
        FormField("description", "Description", "multiline"),
        FormField(
            "keywords",
            "Keywords (comma separated)",
            "list",
            help="Words people use for it: search and suggestions match them.",
        ),
        FormField("detection", "Detection hints (one per line)", "multiline"),
        FormField("atlas", "MITRE ATLAS technique ids (comma separated)", "list", placeholder="AML.T0051"),
        FormField("owasp", "OWASP LLM Top 10 2025 ids (comma separated)", "list", placeholder="LLM01:2025"),
        FormField("nist", "NIST AI RMF functions (comma separated)", "list", placeholder="measure, manage"),
    ]


def _mappings(v: dict[str, Any]) -> Mappings:
    try:
        return Mappings(atlas=v["atlas"], owasp_llm=v["owasp"], nist_ai_rmf=[n.lower() for n in v["nist"]])
    except ValidationError as exc:
        raise FormError(_field_errors(exc)) from None


def add_form(taxonomy: Taxonomy, family: str | None) -> FormModal:
    families = [(f.name, f.id) for f in taxonomy.families]
    fields = [
        FormField("family", "Family", "select", families, allow_blank=False),
        FormField("id", "Id", placeholder="leave blank for family.name-as-slug"),
        *_mode_fields(),
    ]
    values = {"family": family or taxonomy.families[0].id, "keywords": [], "atlas": [], "owasp": [], "nist": []}

    def build(v: dict[str, Any]) -> Operation:
        if not v["name"].strip():
            raise FormError({"name": "a mode needs a name"})
        if not v["description"].strip():
            raise FormError({"description": "say what goes wrong, in a sentence or two"})
        try:
            mode = Mode(
                id=v["id"].strip() or suggested_id(v["family"], v["name"]),
                name=v["name"].strip(),
                family=v["family"],
                description=v["description"].strip(),
                keywords=v["keywords"],
                detection=_lines(v["detection"]),
                mappings=_mappings(v),
            )
        except ValidationError as exc:
            raise FormError(_field_errors(exc)) from None
        return _checked(taxonomy, lambda t: add_mode(t, mode), "id")

    return FormModal("Add a failure mode", fields, values, build)


def _field_errors(exc: ValidationError) -> dict[str, str]:
    """pydantic errors on Mode/Mappings -> the form field they belong to."""
    aliases = {"owasp_llm": "owasp", "nist_ai_rmf": "nist"}
    fields = {"id", "name", "family", "description", "keywords", "detection", "atlas", "owasp", "nist"}
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        name = next((aliases.get(str(p), str(p)) for p in err["loc"] if aliases.get(str(p), str(p)) in fields), "name")
        out.setdefault(name, str(err["msg"]).removeprefix("Value error, "))
    return out


def edit_form(taxonomy: Taxonomy, mode: Mode) -> FormModal:
    values = {
        "name": mode.name,
        "description": mode.description,
        "keywords": mode.keywords,
        "detection": "\n".join(mode.detection),
        "atlas": mode.mappings.atlas,
        "owasp": mode.mappings.owasp_llm,
        "nist": mode.mappings.nist_ai_rmf,
    }

    def build(v: dict[str, Any]) -> Operation:
        changes = {
            "name": v["name"].strip(),
            "description": v["description"].strip(),
            "keywords": v["keywords"],
            "detection": _lines(v["detection"]),
            "mappings": _mappings(v),
        }
        changed = {k: c for k, c in changes.items() if getattr(mode, k) != c}
        if not changed:
            raise FormError({"name": "nothing changed"})
        return _checked(taxonomy, lambda t: edit_mode(t, mode.id, **changed), "name")

    return FormModal(f"Edit {mode.id}", _mode_fields(), values, build)


def rename_form(taxonomy: Taxonomy, mode: Mode) -> FormModal:
    fields = [
        FormField(
            "new",
            "New id",
            help=f"{mode.id} stays as an alias, so incidents tagged with it still resolve to this mode.",
        ),
        FormField("name", "New name (optional)"),
    ]

    def build(v: dict[str, Any]) -> Operation:
        new = v["new"].strip()
        if not new:
            raise FormError({"new": "type the new id"})
        name = v["name"].strip() or None
        return _checked(taxonomy, lambda t: rename_mode(t, mode.id, new, name), "new")

    return FormModal(f"Rename {mode.id}", fields, {"new": mode.id, "name": ""}, build)


def merge_form(taxonomy: Taxonomy, mode: Mode) -> FormModal:
    targets = [(f"{m.name} ({m.id})", m.id) for m in taxonomy.modes if m.id != mode.id and not m.deprecated]
    fields = [
        FormField("into", f"Merge {mode.id} into", "select", targets, allow_blank=True),
        FormField(
            "keep_as",
            "Keep the old id as",
            "select",
            [("an alias of the surviving mode", "alias"), ("a deprecated entry with replaced_by", "replaced_by")],
            allow_blank=False,
            help="Either way its tags resolve to the surviving mode; its keywords, hints and mappings join it.",
        ),
    ]

    def build(v: dict[str, Any]) -> Operation:
        if not v["into"]:
            raise FormError({"into": "pick the mode that survives"})
        return _checked(taxonomy, lambda t: merge_modes(t, mode.id, v["into"], v["keep_as"]), "into")

    return FormModal(f"Merge {mode.id}", fields, {"into": None, "keep_as": "alias"}, build)


def deprecate_form(taxonomy: Taxonomy, mode: Mode) -> FormModal:
    targets = [(f"{m.name} ({m.id})", m.id) for m in taxonomy.modes if m.id != mode.id and not m.deprecated]
    fields = [
        FormField("replaced_by", "Replaced by (optional)", "select", targets, allow_blank=True),
        FormField("reason", "Why (goes in the commit message)"),
    ]

    def build(v: dict[str, Any]) -> Operation:
        return _checked(taxonomy, lambda t: deprecate_mode(t, mode.id, v["replaced_by"], v["reason"]), "replaced_by")

    return FormModal(f"Deprecate {mode.id}", fields, {"replaced_by": None, "reason": ""}, build)
