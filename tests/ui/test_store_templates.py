"""The per-test stores are copies of one made per test process (tests/store_templates.py): a copy must be the store
the test would have made itself, and what one test writes must never reach the template or the next test."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.services.bundled import make_example_store
from workbench.store import Store

from .conftest import FIXED_DATES, git_subjects


def test_a_copy_is_the_store_the_test_would_have_made(
    ui_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in FIXED_DATES.items():
        monkeypatch.setenv(name, value)
    made_here = make_example_store(tmp_path / "made-here")
    assert ui_store.git.repo.git.rev_parse("HEAD") == made_here.git.repo.git.rev_parse("HEAD")
    assert not ui_store.git.repo.is_dirty(untracked_files=True)
    assert ui_store.ids() == made_here.ids()


def test_a_write_to_a_copy_stays_in_the_copy(ui_store: Store, ui_template: Path) -> None:
    template = Store(ui_template)
    before = git_subjects(template)
    incident_id = ui_store.ids()[0]
    record = ui_store.load(incident_id)
    changed = record.incident.model_copy(update={"title": "Changed in one test"})
    ui_store.save(record, changed, where="overview", what="retitle")
    assert git_subjects(ui_store) != before
    assert git_subjects(template) == before
    assert Store(ui_template).load(incident_id).incident.title != "Changed in one test"
