"""The review: the method's hard rules as checks, the seven stages and their gates, and the steps a
reviewer takes (comments, sign-offs, stage moves), each one commit.

    checks/          one module per hard rule; `run_checks`; each check registers its rules (checks/registry.py)
    stages.py        each stage's entry criteria, computed from the checks; moving forward passes the gates
    steps.py         comments anchored to an entry or section, resolving them, sign-offs, stage moves
    method_guide.py  what the method asks at each stage (method_guide.toml) and which evidence is cited
    findings_cache.py  error/warning counts per incident for the start screen, cached by the bytes they read
    lint.py          `workbench lint`: the checks over a store, a subtree or a commit's files
    meeting.py       the agenda of a synchronous review meeting, as markdown
"""

__all__ = ["checks", "findings_cache", "lint", "meeting", "method_guide", "stages", "steps"]
