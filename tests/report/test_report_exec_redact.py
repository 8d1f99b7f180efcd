"""The executive one-pager (one 80x24 screen) and redaction (no names survive, anywhere)."""

from __future__ import annotations

import re

import pytest
from report_helpers import NARRATIVE, rich_incident

from workbench.domain.model import ActionItem
from workbench.services.report import ReportOptions, render
from workbench.services.report.onepager import display_width, render_onepager
from workbench.services.report.redact import PeopleFileError, Person, load_people, people_for

PEOPLE = [
    Person("Dana Kim", "Incident commander (serving)", handles=["@dana", "dkim"]),
    Person("Sam Oduya", "Model team on-call", handles=["@sam"], aliases=["S.O."]),
]


def fits_screen(text: str) -> bool:
    lines = text.rstrip("\n").split("\n")
    return len(lines) <= 24 and all(display_width(line) <= 80 for line in lines)


def test_onepager_has_impact_summary_and_top_actions_with_owner_and_due():
    page = render_onepager(rich_incident(), NARRATIVE)
    assert fits_screen(page)
    assert page.startswith("# KV-cache OOM after vLLM | upgrade\n")
    assert "**Summary:** Inference pods ran out of memory" in page
    assert "Users affected: **1200 users**" in page
    assert "p99 latency delta: **850.5 ms**" in page
    assert "**[DATA GAP]** requests affected" in page
    assert re.search(r"1\. \*\*AI-002\*\* Gate serving upgrades .* — Dana Kim, 2025-08-20", page)
    assert "2. **AI-001**" in page and "3. **AI-004**" in page


@pytest.mark.parametrize("scale", [1, 5, 40])
def test_onepager_fits_one_screen_whatever_the_length(scale):
    long = "Words that go on and on about the incident " * scale
    incident = rich_incident(
        title="T " * min(15 * scale, 100),
        summary=long,
        actions=[
            ActionItem(
                id=f"AI-00{n}", action=long, owner="Owner With A Very Long Name " * min(scale, 10), priority="P1"
            )
            for n in range(1, 6)
        ],
    )
    page = render_onepager(incident, "## Executive Summary\n\n" + long)
    assert fits_screen(page), page
    assert page.count("**AI-00") == 3
    assert "Full report: `workbench report" in page.rstrip().splitlines()[-1]


def test_onepager_wide_characters_count_double():
    page = render_onepager(rich_incident(title="中文标题" * 30, summary="事故" * 200), "")
    assert fits_screen(page)


def all_names(people):
    return [tok for p in people for tok in p.tokens()]


@pytest.mark.parametrize("fmt, exec_", [("md", False), ("html", False), ("md", True)])
def test_redacted_report_contains_none_of_the_names(fmt, exec_):
    incident = rich_incident()
    narrative = NARRATIVE + "\n## Notes\n\nDana Kim asked @sam and dkim; Dana later told Lee Park. S.O. agreed.\n"
    doc = render(incident, narrative, ReportOptions(format=fmt, exec=exec_, redact=True), people=PEOPLE)
    everyone = people_for(incident, PEOPLE)
    names = all_names(everyone)
    assert {"Dana Kim", "@dana", "dkim", "Dana", "Kim", "Lee Park", "@lee", "@sam", "S.O."} <= set(names)
    for name in names:
        assert not re.search(rf"(?<![\w@]){re.escape(name)}(?!\w)", doc, re.I), name
    if not exec_:
        assert "Incident commander (serving)" in doc  # Dana, by her role from the map
        assert "Postmortem Lead" in doc  # Lee, not in the map: by the role the incident gives
        assert "Owner of AI-001" in doc


def test_external_audience_defaults_to_redacted_and_can_be_overridden():
    incident = rich_incident()
    external = render(incident, "", ReportOptions(audience="external"), people=PEOPLE)
    assert "Dana Kim" not in external
    explicit = render(incident, "", ReportOptions(audience="external", redact=False), people=PEOPLE)
    assert "Dana Kim" in explicit
    assert "Dana Kim" in render(incident, "", ReportOptions(), people=PEOPLE)


def test_redaction_keeps_ids_and_links_between_entries():
    doc = render(rich_incident(commander="c-0001"), "", ReportOptions(redact=True))
    assert "**c-0001**" in doc  # entry ids are never rewritten, even when they equal a "name"


def test_people_map_is_read_from_the_store_and_bad_entries_are_named(tmp_path):
    (tmp_path / "people.toml").write_text('[[people]]\nname = "Dana Kim"\nhandles = ["@dana"]\nrole = "IC"\n')
    assert load_people(tmp_path) == [Person("Dana Kim", "IC", ["@dana"], [])]
    (tmp_path / "people.toml").write_text('[[people]]\nname = "Dana Kim"\n')
    with pytest.raises(PeopleFileError, match=r"people.toml: \[\[people\]\] entry 1 \(Dana Kim\): field 'role'"):
        load_people(tmp_path)
    (tmp_path / "people.toml").write_text("[[people]\nname = 1\n")
    with pytest.raises(PeopleFileError, match=r"people.toml: .*line 1"):
        load_people(tmp_path)
    assert load_people(tmp_path / "none") == []
