"""`workbench taxonomy list|show` count and list a mode's uses from the search index's profiles, never from
`Store.load_all` (issue 15: at 10,000 incidents that took ~25 s of CPU and ~700 MB), and print what reading
every full model printed: the old path is the oracle here, run on the same store with the models fed in."""

from __future__ import annotations

import re

import pytest
from learning_store import learning_copy, learning_root  # noqa: F401

from workbench.cli import main
from workbench.cli import taxonomy_cmds
from workbench.store import Store

USED = "rag-retrieval.index-staleness"  # several incidents of the fixture store
RENAMED = "inference-serving.kv-cache-pathology"  # renamed below: its tags then count through an alias

COMMANDS = [
    ["taxonomy", "list"],
    ["taxonomy", "list", "stale"],
    ["taxonomy", "list", "--live", "--family", "agentic"],
    ["taxonomy", "show", USED],
    ["taxonomy", "show", RENAMED],  # an old id now: "is an old id (alias) of ..."
    ["taxonomy", "show", "inference-serving.kv-cache-trouble"],
    ["taxonomy", "show", "training.loss-spike"],
]


def _run(root: str, argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--store", root, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _outputs(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, str, str]]]:
    """Each command's output the old way (every full model) and the new way (a spy fails any full load)."""
    root = str(store.root)
    old: dict[str, tuple[int, str]] = {}
    with monkeypatch.context() as m:
        m.setattr(taxonomy_cmds, "incident_profiles", lambda s: [r.incident for r in s.load_all().records])
        for argv in COMMANDS:
            code, out, _err = _run(root, argv, capsys)
            old[" ".join(argv)] = (code, out)
    new: dict[str, tuple[int, str, str]] = {}
    with monkeypatch.context() as m:

        def no_full_load(self: Store) -> None:
            raise AssertionError("a taxonomy command loaded every incident")

        m.setattr(Store, "load_all", no_full_load)
        for argv in COMMANDS:
            new[" ".join(argv)] = _run(root, argv, capsys)
    return old, new


def test_list_and_show_print_what_every_full_model_gave_without_loading_them(
    learning_copy: Store,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = str(learning_copy.root)
    assert main(["--store", root, "taxonomy", "rename", RENAMED, "inference-serving.kv-cache-trouble"]) == 0
    capsys.readouterr()
    old, new = _outputs(learning_copy, capsys, monkeypatch)
    for command, (code, out) in old.items():
        assert new[command][:2] == (code, out), command
        assert new[command][2] == "", command  # every incident loads: nothing skipped
    assert _tagged_in(new[f"taxonomy show {USED}"][1]) > 1
    assert "(as inference-serving.kv-cache-pathology)" in new["taxonomy show inference-serving.kv-cache-trouble"][1]
    listed = {line.split()[0]: line.split()[-1] for line in new["taxonomy list"][1].splitlines()[2:]}
    assert listed[USED] == str(_tagged_in(new[f"taxonomy show {USED}"][1]))


def _tagged_in(shown: str) -> int:
    found = re.search(r"^Tagged in (\d+) incident\(s\)$", shown, re.M)
    assert found, shown
    return int(found.group(1))


def test_a_broken_incident_is_one_line_on_stderr_and_the_rest_is_counted(
    learning_copy: Store,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _run(str(learning_copy.root), ["taxonomy", "show", USED], capsys)[1]
    broken = next(f for f in sorted(learning_copy.root.glob("incidents/*/*/*/incident.toml")) if USED in f.read_text())
    text = broken.read_text()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("stage = "))
    broken.write_text(re.sub(r'(?m)^stage = ".*"$', 'stage = "pondering"', text, count=1))
    old, new = _outputs(learning_copy, capsys, monkeypatch)
    relative = broken.relative_to(learning_copy.root).as_posix()
    for command, (code, out) in old.items():
        code_now, out_now, err_now = new[command]
        assert (code_now, out_now) == (code, out), command
        assert "Traceback" not in err_now
        if code == 2:  # the renamed id: not renamed in this store
            assert err_now == "workbench: no mode or alias 'inference-serving.kv-cache-trouble' in taxonomy.toml\n"
            continue
        problems = err_now.splitlines()
        assert len(problems) == 1, err_now
        assert problems[0].startswith(f"skipped (could not load): {relative}:{line}: stage: ")
    assert _tagged_in(new[f"taxonomy show {USED}"][1]) == _tagged_in(before) - 1
