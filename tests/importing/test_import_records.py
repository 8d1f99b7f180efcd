"""ATLAS case studies (YAML) and AI Incident Database records (JSON) imported as incidents, read with the
postmortem import's rules: one incident per record, a date given only to the year fills no day, no
severity unless stated, every item cites file:line. Fixtures written for these tests in tests/data/import."""

from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.services.importing.postmortem import ImportProblem, parse_records

DATA = Path(__file__).parent.parent / "data" / "import"


def lines_of(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def records(name: str, **kwargs):
    return parse_records((DATA / name).read_text(encoding="utf-8"), name, **kwargs)


def test_an_atlas_case_study_with_a_day_gives_a_date_only_entry_figures_and_its_procedure():
    first = records("atlas_cases.yaml")[0]
    i = first.incident
    assert i.id == "2023-05-17-spam-filter-evaded-by-a-paraphrasing-model" and i.severity is None
    assert [(e.time, e.data_gap) for e in i.timeline] == [(datetime(2023, 5, 17, tzinfo=timezone.utc), True)]
    cite = i.timeline[0].source
    assert lines_of("atlas_cases.yaml")[int(cite.rsplit(":", 1)[1]) - 1].strip() == "incident-date: 2023-05-17"
    assert [(f.value, f.unit) for f in i.impact.figures] == [(1200, "users"), (3, "hours")]
    assert all(f.source.startswith("atlas_cases.yaml:") for f in i.impact.figures)
    assert "Reconnaissance (AML.TA0002) — Search Open Technical Databases (AML.T0000)" in first.narrative
    assert "## Executive Summary" in first.narrative and "https://example.org/spam-note" in first.narrative
    assert i.tags == ["atlas"] and i.systems == ["Mail provider spam classifier"]
    assert any("no severity" in g.text for g in i.gaps)


def test_an_atlas_date_given_only_to_the_year_fills_no_day():
    second = records("atlas_cases.yaml")[1]
    i = second.incident
    assert second.undated and i.id.startswith("undated-") and i.timeline == []
    assert any("only to the year (2021)" in g.text for g in i.gaps)
    assert "2021-01-01" not in i.id and i.tags == ["atlas", "exercise"]


def test_a_date_given_at_import_dates_an_undated_record_and_says_so():
    from datetime import date

    second = records("atlas_cases.yaml", given_date=date(2021, 6, 1))[1]
    assert second.incident.id.startswith("2021-06-01-") and not second.undated
    assert any("2021-06-01 was given at import" in g.text for g in second.incident.gaps)


def test_aiid_records_cite_their_line_and_keep_the_alleged_parties_in_the_narrative():
    first, second = records("aiid_incidents.json")
    assert first.incident.id == "2022-11-03-chatbot-gave-customers-a-refund-policy-that-did-no"
    assert first.incident.timeline[0].source == "aiid_incidents.json:3"  # the line of its incident_id
    assert [(f.value, f.unit) for f in first.incident.impact.figures] == [(37, "customers")]
    assert "**Alleged deployer**: example-airline" in first.narrative
    assert "**Alleged harmed or nearly harmed parties**: airline customers" in first.narrative
    assert second.undated and second.incident.timeline == []  # no date in the record: none invented
    assert "**Alleged deployer**: example-maker" in second.narrative  # the API's spelling too
    assert records("aiid_incidents.json", record="9002")[0].incident.title.startswith("Translation")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.yaml", "case-studies: [\n  {id: x\n", "bad.yaml:3: not valid YAML"),
        ("bad.yaml", "name: nothing here\n", "bad.yaml:1: field 'case-studies': missing"),
        ("bad.yaml", "case-studies:\n- id: AML.CS1\n  summary: s\n", "bad.yaml:2: field 'name': missing or empty"),
        (
            "bad.yaml",
            "case-studies:\n- id: AML.CS1\n  name: n\n  summary: s\n  incident-date: soon\n",
            "bad.yaml:5: field 'incident-date': 'soon' is not a date",
        ),
        ("bad.json", '[{"incident_id": 1,\n "title": "t", "date": "last week"}]', "bad.json:1: field 'date'"),
        ("bad.json", '[{"title": "t"}]', "bad.json:1: field 'incident_id': missing"),
        ("bad.json", "{oops", "bad.json:1: not valid JSON"),
    ],
)
def test_bad_records_are_a_one_line_message_naming_file_line_and_field(name, content, message):
    with pytest.raises(ImportProblem) as err:
        parse_records(content, name)
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_cli_imports_each_record_as_one_commit_or_only_the_one_named(empty_store, capsys):
    root = str(empty_store.root)
    before = len(empty_store.git.log([]))
    assert main(["--store", root, "import", str(DATA / "atlas_cases.yaml"), "--record", "AML.CS9001"]) == 0
    assert len(empty_store.git.log([])) == before + 1
    data = tomllib.loads(
        (empty_store.folder_of("2023-05-17-spam-filter-evaded-by-a-paraphrasing-model") / "incident.toml").read_text()
    )
    assert data["severity"] == "" and data["impact"]["figures"][0]["value"] == 1200  # not stated: unset
    assert main(["--store", root, "import", str(DATA / "aiid_incidents.json")]) == 0
    assert len(empty_store.git.log([])) == before + 3  # two records, one commit each
    assert main(["--store", root, "import", str(DATA / "aiid_incidents.json"), "--record", "77"]) == 2
    assert "no record '77'" in capsys.readouterr().err


def test_cli_dry_run_of_records_writes_nothing_and_lists_every_record(empty_store, capsys):
    before = len(empty_store.git.log([]))
    assert main(["--store", str(empty_store.root), "import", str(DATA / "atlas_cases.yaml"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.count("Would create") == 2 and "atlas_cases.yaml:" in out
    assert len(empty_store.git.log([])) == before


def test_dates_and_times_in_a_records_prose_are_read_as_in_a_postmortem_and_cite_the_record():
    record = records("atlas_prose.yaml")[0]
    timeline = record.incident.timeline
    assert [(e.time, e.data_gap) for e in timeline] == [
        (datetime(2025, 7, 13, tzinfo=timezone.utc), True),  # the record's own date, not repeated from the prose
        (datetime(2025, 7, 17, tzinfo=timezone.utc), True),
        (datetime(2025, 7, 23, 14, 5, tzinfo=timezone.utc), False),
    ]
    assert {e.source for e in timeline[1:]} == {"atlas_prose.yaml:5"}  # the summary's line in the YAML
    assert [(f.value, f.unit, f.source) for f in record.incident.impact.figures] == [
        (900, "users", "atlas_prose.yaml:5")
    ]
