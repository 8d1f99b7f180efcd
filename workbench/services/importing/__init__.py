"""Bringing outside material in, always through a review before anything is written.

postmortem/  existing markdown postmortems (and the workbench's own canonical reports) as incidents
timeline/    logs, traces, chat, paging, evals and git history as candidate timeline events;
             timeline/review.py de-duplicates them and lands the accepted ones in one commit
"""

__all__ = ["postmortem", "timeline"]
