"""Use cases over the store and the domain: search, checks, reports, taxonomy, stats, import/export."""
