"""One sentence put where a person would write it in an otherwise clean incident, and its blame findings: shared
by the blame tests (test_blame_shapes, _voices, _registers, _attribution, _tone, test_blame_model)."""

from __future__ import annotations

from dataclasses import replace

from workbench.services.review.checks import bundled_config, run_checks


# The names the blame tests' sentences use, as a team's people.toml would list them.
PEOPLE = ("Dana", "Kim", "Jo", "Sam", "Ravi", "Lena")


def blame_at(make, place: str, text: str, people: tuple[str, ...] = PEOPLE):
    """The blame findings for `text` in one place (timeline, action, cause, lesson, scope; else the summary)."""
    fields: dict = {}
    if place == "timeline":
        fields["timeline"] = [{"id": "t-0001", "time": "2025-01-01T10:00:00Z", "event": text, "source": "chat"}]
    elif place == "action":
        fields["actions"] = [{"id": "AI-001", "action": text}]
    elif place == "cause":
        fields["causes"] = [{"id": "c-0001", "statement": text}]
    elif place == "lesson":
        fields["lessons"] = {"to_improve": [text]}
    elif place == "scope":
        fields["scope"] = {"covers": text}
    else:
        fields["summary"] = text
    return run_checks(make(**fields), "", config=replace(bundled_config(), people=people), families=("blame",))
