"""Narrow columns folded under a row's text when a table is too wide for the view (ui/table_fold.py)."""

from __future__ import annotations

from workbench.ui.markdown_blocks import column_ratios
from workbench.ui.table_fold import MIN_LONG, fold_plan

# The report's action table: ID, Action, Owner, Due Date, Verification Method, Priority, Status, Addresses.
ACTIONS = [6, 80, 15, 10, 116, 8, 6, 6]


def test_a_wide_view_folds_nothing():
    assert fold_plan(ACTIONS, column_ratios(ACTIONS), 132) == []


def test_at_80_columns_the_short_columns_go_from_the_right_and_the_first_column_stays():
    ratios = column_ratios(ACTIONS)
    folded = fold_plan(ACTIONS, ratios, 74)
    assert folded == [2, 3, 5, 6, 7]  # Owner, Due Date, Priority, Status, Addresses; ID, Action, Verification kept
    kept = [n for n in range(len(ACTIONS)) if n not in folded]
    room = 74 - (len(kept) + 1 + 2 * len(kept)) - sum(ACTIONS[n] for n in kept if ratios[n] is None)
    shares = [ratios[n] or 0 for n in kept if ratios[n] is not None]
    assert room * min(shares) / sum(shares) >= MIN_LONG  # the narrowest long column is still readable
    assert fold_plan(ACTIONS, ratios, 100) == [5, 6, 7]  # wider: fewer folded


def test_long_columns_and_the_first_column_are_never_folded_and_a_table_without_long_columns_is_left_alone():
    assert fold_plan(ACTIONS, column_ratios(ACTIONS), 30) == [2, 3, 5, 6, 7]
    all_long = [22, 66, 55]  # a short key, then two long columns: nothing to fold however narrow
    assert fold_plan(all_long, column_ratios(all_long), 40) == []
    short = [6, 10, 8]
    assert fold_plan(short, column_ratios(short), 20) == []
