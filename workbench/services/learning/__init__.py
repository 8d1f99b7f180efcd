"""Learning across incidents: what keeps going wrong, similar past incidents, tag suggestions.

source.py   where the data comes from: the search index's per-incident profiles, never every full model
profile.py  what learning needs of one incident (tags, causes, actions, key times), kept beside the index
stats.py    the figures of `workbench stats` and the Learning screen
similar.py  similar past incidents: shared modes and similar wording
suggest.py  tag suggestions for an incident or a cause, from its text (nothing written)
textsim.py  words and TF-IDF vectors for comparing texts, offline
charts.py   sparklines and bars as plain text
memory.py   large builds in a worker: the cyclic collector held off, freed memory handed back
"""

__all__ = ["charts", "memory", "profile", "similar", "source", "stats", "suggest", "textsim"]
