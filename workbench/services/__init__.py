"""Use cases over the store and the domain, one feature package each (each `__init__` says what it holds
and lists in `__all__` what other code may import; tests/test_layering.py keeps the rest private):

    review/      the method's checks, the stages and their gates, comments and sign-offs, lint
    report/      the canonical postmortem, the light review and the one-pager, markdown and HTML
    publish/     the store as a static website
    redaction/   names, handles, addresses and secrets replaced for sharing
    evidence/    the evidence locker and the data-collection checklist
    diagnostics/ the statistics behind the numbers, saved with their inputs and re-run on demand
    importing/   markdown postmortems and timeline sources brought in through a review
    learning/    statistics across incidents, similar incidents, tag suggestions
    taxonomy/    editing and searching the failure-mode taxonomy, where modes are used, frameworks
    search/      the search index, the query language, light excerpts for lists
    followup/    due and overdue actions, reminders, webhooks, tracker export and sync
    sync/        a sync's conflicts and outside edits to an open incident
    validation/  `workbench validate` and unreadable files shown for reading

Two modules every feature may use: clock.py (today's date, overridable) and bundled.py (the example store
and default taxonomy shipped with the package).
"""
