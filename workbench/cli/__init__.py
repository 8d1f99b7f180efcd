"""`workbench` command line. Non-TUI commands never import Textual (fast start, usable in CI).

Command modules are imported only when their command runs: `workbench search` should not pay for
pydantic models, reports, sync and timeline import it never uses (~0.4 s of imports). `COMMANDS`
is the light table `workbench --help` lists; each module still declares its own arguments with
`register(subparsers)`, called only for the command argv names.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .errors import handled_line

# (module, its commands with their one-line help) in the order `workbench --help` lists them.
# A new command module: add it here (tests/cli/test_cli_lazy.py checks this table against register()).
COMMANDS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "workbench.cli.store_cmds",
        (
            ("init", "create a new store: a git repository with taxonomy.toml and incidents/"),
            ("new", "create an incident (id from start date + title)"),
            ("list", "table of incidents"),
            ("show", "an incident as readable text"),
            ("validate", "check every file; exit 1 when anything is wrong"),
            ("history", "an incident's commits"),
            ("restore", "restore an incident as it was at REV, as a new commit"),
            ("demo", "open the workbench on your copy of the bundled example store"),
            ("open", "open the workbench (the default when no command is given)"),
        ),
    ),
    ("workbench.cli.lint_cmds", (("lint", "check incidents against the method's hard rules (for CI and pre-commit)"),)),
    (
        "workbench.cli.review_cmds",
        (
            ("review", "review comments and stage sign-off (stored in review.toml)"),
            (
                "stage",
                "show what the method asks now and the next stage's entry criteria; with TO, move there "
                "through the gate",
            ),
        ),
    ),
    (
        "workbench.cli.taxonomy_cmds",
        (("taxonomy", "browse and edit the failure-mode taxonomy (each edit is one commit)"),),
    ),
    (
        "workbench.cli.report_cmds",
        (
            ("report", "the canonical postmortem report (markdown or HTML)"),
            ("actions", "action items across incidents"),
            (
                "import",
                "turn an existing markdown postmortem (or a workbench report), or ATLAS case studies (.yaml) / "
                "AI Incident Database records (.json), into incidents",
            ),
        ),
    ),
    (
        "workbench.cli.learning_cmds",
        (
            ("similar", "the past incidents most like this one, and why"),
            ("suggest", "taxonomy modes to consider for an incident or a cause (nothing is applied)"),
            ("stats", "learning across incidents: modes over time, recurring causes, times, actions"),
            ("due", "overdue actions and follow-up reviews due soon; exit 1 when anything is overdue"),
            ("followup", "record that an incident's follow-up review took place (one commit)"),
        ),
    ),
    (
        "workbench.cli.reach_cmds",
        (("notify", "post overdue actions and due follow-ups to a webhook (Slack-compatible or plain JSON)"),),
    ),
    (
        "workbench.cli.web_cmds",
        (
            ("publish", "the store as a static website (opens from disk, no network)"),
            ("serve", "the workbench in a browser (textual-serve), on 127.0.0.1 by default"),
        ),
    ),
    (
        "workbench.cli.sync_cmds",
        (
            ("sync", "fetch, rebase your commits onto the store's upstream, push"),
            ("merge-driver", "(run by git) merge incident.toml entry by entry: %%O %%A %%B %%P"),
            ("setup-merge", "register the incident.toml merge driver in this clone"),
            ("conflicts", "fields changed on both sides in a sync, with both values"),
            ("resolve", "resolve an incident's conflicting fields by choosing a side"),
            ("remote", "add a git remote (refused for a private store)"),
            ("recover", "unsaved edits left by a crash (journal) and recovery copies"),
            ("move", "move an incident to another store (one commit in each)"),
        ),
    ),
    (
        "workbench.cli.search_cmds",
        (("search", "search every incident and the taxonomy (fuzzy; filters like severity:P0 tag:rag)"),),
    ),
    (
        "workbench.cli.evidence_cmds",
        (
            ("evidence", "the evidence locker: files kept (hashed) beside an incident, or references"),
            ("collection", "the data-collection checklist: which sources were gathered"),
        ),
    ),
    (
        "workbench.cli.timeline_cmds",
        (("timeline", "build the timeline from evidence: import, derive key times, gaps"),),
    ),
    (
        "workbench.cli.diagnose_cmds",
        (
            (
                "diagnose",
                "statistics for a postmortem (reproduction rate, SRM, eval delta, impact, rate change); "
                "--save records them in an incident",
            ),
        ),
    ),
)
COMMAND_MODULES = [module for module, _ in COMMANDS]
_MODULE_OF = {name: module for module, commands in COMMANDS for name, _ in commands}


def _selected_command(argv: list[str]) -> str | None:
    """The command argv names (its first word that is not an option or --store's value), if any."""
    words = iter(argv)
    for word in words:
        if word == "--store":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _build(argv: list[str] | None, full: bool) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A keyboard-driven workbench for blameless postmortems of AI/ML/LLM incidents, kept in git.",
    )
    parser.add_argument(
        "--store",
        metavar="PATH",
        help="the store to use (default: $WORKBENCH_STORE, or the current directory when it is a store)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    selected = _MODULE_OF.get(_selected_command(sys.argv[1:] if argv is None else argv) or "")
    # Modules are walked in table order and each registers its commands in table order, so `--help`
    # lists the same order whether a command is a placeholder (name + help line) or real.
    for module, commands in COMMANDS:
        if full or module == selected:
            importlib.import_module(module).register(sub)
            missing = [n for n, _ in commands if n not in sub.choices]
            if missing:
                raise RuntimeError(f"{module}.register() did not add {missing}; fix COMMANDS in workbench/cli")
        else:
            for name, help_line in commands:
                sub.add_parser(name, help=help_line, add_help=False)
    return parser, dict(sub.choices)


def build_parser(argv: list[str] | None = None, *, full: bool = False) -> argparse.ArgumentParser:
    """The `workbench` parser. Only the module of the command argv names is imported (the others are
    placeholders with their help line); `full=True` imports them all (for tools that walk every subparser)."""
    return _build(argv, full)[0]


def subcommand_parsers(*, full: bool = True) -> dict[str, argparse.ArgumentParser]:
    """Every command's parser by name (real ones with full=True), for docs and tests."""
    return _build([], full)[1]


# What a shell reports for a program stopped by a closed pipe (128 + SIGPIPE): `workbench list | head -1`
# ends the way `ls | head -1` does, quietly.
EXIT_BROKEN_PIPE = 141


def _pipe_closed() -> int:
    """stdout's reader went away: point stdout at /dev/null so the interpreter's final flush cannot
    fail again (the Python documentation's recipe for SIGPIPE), and exit with the usual status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            from .store_cmds import cmd_open

            args.func = cmd_open
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe is found here, not in the interpreter's exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _pipe_closed()
    except Exception as exc:
        line = handled_line(exc)
        if line is None:
            raise
        try:
            print(f"workbench: {line}", file=sys.stderr)
        except (BrokenPipeError, ValueError):
            pass
        return 2
