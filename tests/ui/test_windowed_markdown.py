"""The windowed Markdown preview (ui/windowed_markdown.py): cut into pieces that lay out as the whole document
does, only the pieces near the view built, and a long report whole in the Report pane after it settles, also when
the pane is left while it renders."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from workbench.domain.model import ActionItem, Cause, Incident, KeyTimes, TimelineEntry
from workbench.services.report import render_from_store
from workbench.ui.markdown_blocks import LightMarkdown
from workbench.ui.windowed_markdown import NO_TOP_MARGIN, Piece, WindowedMarkdown, split_pieces

from .conftest import open_incident
from .waiting import until

SAMPLE = (
    "# Title\n\nIntro with **bold** and `code`.\n\n## Section\n\nPara one.\n\n- item a\n- item b\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter the table.\n\n---\n\nAfter the rule.\n\n### Deeper\n\n"
    "```\nfenced\n```\n\n> quoted\n\n1. first\n2. second\n\n"
    + "".join(f"Paragraph {n} of a long run of text that wraps at a narrow width, more or less.\n\n" for n in range(30))
    + "## Last\n\nThe end.\n"
)


class OneView(App[None]):
    """An app that holds one WindowedMarkdown (id "w") and nothing else."""

    def compose(self) -> ComposeResult:
        yield WindowedMarkdown(id="w")


def test_pieces_join_back_to_the_text_and_start_only_where_no_top_margin_is_lost():
    pieces = split_pieces(SAMPLE, per_piece=3)
    assert "".join(p.text for p in pieces) == SAMPLE
    assert len(pieces) > 8  # headings and the 3-block limit both cut
    for piece in pieces[1:]:
        assert piece.blocks[0][0] in NO_TOP_MARGIN, piece.text[:40]
    assert split_pieces("") == []
    assert "".join(p.text for p in split_pieces("\n\n   \n")) == "\n\n   \n"


def test_an_edit_in_one_section_leaves_the_pieces_after_the_next_heading_as_they_were():
    before = split_pieces(SAMPLE, per_piece=3)
    after = split_pieces(SAMPLE.replace("Para one.", "Para one, now longer.\n\nAnd a second paragraph."), per_piece=3)
    # The cuts start again at the first block after each heading: from the list after "### Deeper" on, the same.
    start = next(n for n, p in enumerate(after) if p.text.startswith("1. first"))
    offset = next(n for n, p in enumerate(before) if p.text.startswith("1. first"))
    assert [p.text for p in after[start:]] == [p.text for p in before[offset:]]
    assert any("now longer" in p.text for p in after[:start])
    assert [p.text for p in after[:2]] == [p.text for p in before[:2]]  # before the edit: the same too


class Both(App[None]):
    """The same text as one Markdown (left) and in pieces (right), each tall enough to show all of it."""

    CSS = "#both { height: 1fr; } #one, #pieces { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        with Horizontal(id="both"):
            with VerticalScroll(id="one"):
                yield LightMarkdown(SAMPLE, open_links=False)
            yield WindowedMarkdown(id="pieces")


def _layout(container) -> list[tuple[str, int, int, str]]:
    top = container.region.y
    return [
        (type(block).__name__, block.region.y - top, block.region.height, (block.source or "")[:30])
        for block in container.query("MarkdownBlock")
        if block.parent is not None and not isinstance(block.parent, type(block)) and block.region.height
    ]


async def test_the_pieces_lay_out_line_for_line_as_the_whole_document():
    app = Both()
    async with app.run_test(size=(160, 200)) as pilot:
        pieces = app.query_one(WindowedMarkdown)
        pieces.update(SAMPLE)
        await until(pilot, lambda: pieces.complete, "the pieces built")
        one = app.query_one("#one")
        await until(pilot, lambda: len(_layout(one)) > 40, "the whole document laid out")
        await pilot.pause()
        assert len(pieces.pieces) > 3
        assert all(p.markdown is not None for p in pieces.pieces)  # all in view: all built
        assert _layout(pieces) == _layout(one)


SHORT = (160, 30)


async def test_only_the_pieces_near_the_view_are_built_and_reading_down_builds_the_rest():
    text = "".join(f"## Part {n}\n\n" + f"Part {n} says something. " * 12 + "\n\n- a\n- b\n\n" for n in range(80))

    app = OneView()
    app.animation_level = "none"  # as the workbench runs (End then jumps, as a user's End does there)
    async with app.run_test(size=SHORT) as pilot:
        view = app.query_one(WindowedMarkdown)
        view.update(text)
        await until(pilot, lambda: view.complete, "the first screens built")
        built = [p for p in view.pieces if p.markdown is not None]
        assert 0 < len(built) < len(view.pieces) // 4
        assert built[0] is view.pieces[0]
        assert view.source == text
        first = view.pieces[0].markdown
        view.focus()
        await pilot.press("end")  # to the last piece: built there, the start let go
        await until(pilot, lambda: view.complete and view.scroll_y >= view.max_scroll_y - 1, "the end built")
        last = view.pieces[-1]
        assert last.markdown is not None and "Part 79 says" in " ".join(
            str(h.render()) for h in last.markdown.query("MarkdownParagraph")
        )
        assert view.pieces[0].markdown is None  # let go, its place kept
        assert sum(p.markdown is not None for p in view.pieces) < len(view.pieces) // 4
        assert first is not None  # far from the view: hidden, then removed (built again if read again)
        await until(pilot, lambda: first.parent is None and view.pieces[0].parked is None, "the start removed")
        # Two pages back up: the end's pieces hidden (out of every layout) and kept; back at the end: shown again.
        end_piece = view.pieces[-1]
        kept = end_piece.markdown
        for _ in range(2):
            await pilot.press("pageup")
        await until(pilot, lambda: view.complete and end_piece.markdown is None, "two pages up")
        assert end_piece.parked is kept and kept is not None and kept.parent is end_piece and not kept.display
        await pilot.press("end")
        await until(pilot, lambda: view.complete and view.scroll_y >= view.max_scroll_y - 1, "the end again")
        assert end_piece.markdown is kept and kept.display  # shown again, not built again


def _long_incident() -> tuple[Incident, str]:
    t = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
    causes = [
        Cause(id=f"c-{n:04d}", statement=f"Cause number {n} of the long incident", kind="contributing", category="data")
        for n in range(1, 13)
    ]
    incident = Incident(
        id=LONG,
        title="A long incident with every section filled",
        severity="P1",
        commander="Dana Kim",
        lead="@lee",
        summary="A long summary. " * 20,
        times=KeyTimes(started=t),
        timeline=[
            TimelineEntry(id=f"t-{n:04d}", time=t + timedelta(minutes=7 * n), event=f"Event {n} happened", source="log")
            for n in range(1, 41)
        ],
        causes=causes,
        actions=[
            ActionItem(
                id=f"AI-{n:03d}",
                action=f"Action {n}: fix what cause {n % 12 + 1} left open",
                owner="Dana Kim",
                due=date(2025, 4, n % 28 + 1),
                verification=f"Check {n} passes",
                addresses=[f"c-{n % 12 + 1:04d}"],
            )
            for n in range(1, 31)
        ],
    )
    narrative = "## Technical Analysis\n\n" + "".join(
        f"### Finding {n}\n\nFinding {n}: the retriever read a stale shard for a while. " * 1 + "\n\n"
        for n in range(60)
    )
    return incident, narrative


LONG = "2025-03-01-a-long-incident-with-every-section-filled"


@pytest.fixture
def long_store(ui_store):
    incident, narrative = _long_incident()
    ui_store.create(incident, narrative)
    return ui_store


async def test_a_long_report_is_whole_after_it_settles_and_leaving_mid_render_loses_nothing(make_app, long_store):
    expected = render_from_store(long_store, LONG)
    app = make_app()
    async with app.run_test(size=SHORT) as pilot:
        screen = await open_incident(pilot, LONG)
        pane = screen.pane("report")
        app.simulate_key("9")
        await until(pilot, lambda: pane.is_mounted and bool(pane.query(WindowedMarkdown)), "the report pane")
        view = pane.query_one(WindowedMarkdown)
        # Away while it renders, and back: keys still handled, nothing lost, nothing hung.
        await until(pilot, lambda: any(p.markdown is not None for p in view.pieces), "the first piece building")
        app.simulate_key("alt+1")
        await until(pilot, lambda: screen.active_pane_id() == "overview", "the Overview pane (keys still handled)")
        app.simulate_key("alt+9")
        await until(pilot, lambda: screen.active_pane_id() == "report", "back to the Report pane")
        await until(pilot, lambda: view.complete and view.source == expected, "the report settled")
        assert "".join(p.text for p in view.pieces) == expected  # every piece of the report, in order
        assert len(view.pieces) > 20
        # Read to the end: each part built as it comes into view, the last one with the report's last lines.
        view.focus()
        await pilot.press("end")
        await until(pilot, lambda: view.complete and view.scroll_y >= view.max_scroll_y - 1, "the end of the report")
        last = view.pieces[-1]
        assert last.markdown is not None and last.markdown.source == last.text
        assert len(last.markdown.children) == len(last.piece.blocks)  # every block of the report's end rendered
        assert expected.rstrip().endswith(last.text.rstrip())
        await pilot.press("home")
        await until(pilot, lambda: view.complete and view.scroll_y == 0, "back at the top")
        first = view.pieces[0].markdown
        assert first is not None and "A long incident with every section filled" in str(
            first.query_one("MarkdownH1").render()
        )
    assert app.return_code in (0, None)


async def test_the_narrative_preview_is_windowed_and_follows_an_edit_rebuilding_only_its_section(make_app, long_store):
    from textual.widgets import TextArea

    app = make_app()
    async with app.run_test(size=SHORT) as pilot:
        screen = await open_incident(pilot, LONG, "narrative")
        pane = screen.pane("narrative")
        editor = screen.query_one("#narrative-editor", TextArea)
        preview = pane.query_one("#narrative-preview", WindowedMarkdown)
        await until(pilot, lambda: pane.preview_text == editor.text, "the preview")
        assert preview.shown_source == editor.text and preview.complete
        built = [p for p in preview.pieces if p.markdown is not None]
        assert built and len(built) < len(preview.pieces) // 4  # only the part in view is widgets
        before = list(preview.pieces)
        # An edit in the first finding: the preview follows, and the pieces of the other findings stay as they were.
        line = editor.text.splitlines().index("### Finding 0") + 2
        editor.insert("Edited just now. ", (line, 0))
        await until(pilot, lambda: pane.preview_text == editor.text, "the preview after the edit")
        shown = " ".join(
            str(b.render()) for p in preview.pieces if p.markdown for b in p.markdown.query("MarkdownParagraph")
        )
        assert "Edited just now. Finding 0:" in shown
        assert "".join(p.text for p in preview.pieces) == editor.text
        after = preview.pieces
        assert after[-1] is before[-1] and after[len(after) // 2] is before[len(before) // 2]
        assert sum(p not in before for p in after) <= 2  # the edited section's piece(s), nothing else rebuilt


SELECTABLE = (
    "# Title\n\nFirst paragraph alpha.\n\n## Two\n\nSecond paragraph beta.\n\n- item a\n- item b\n\n## Three\n\n"
    "Third paragraph gamma.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter table delta.\n"
)


async def test_a_selection_runs_across_pieces_and_takes_a_one_widget_list_or_table_whole():
    app = OneView()
    async with app.run_test(size=(60, 40)) as pilot:
        view = app.query_one(WindowedMarkdown)
        view.update(SELECTABLE)
        await until(pilot, lambda: view.complete, "the pieces built")
        await pilot.pause()
        assert len(view.pieces) >= 3

        def row_of(text: str) -> int:
            for block in view.query("MarkdownBlock"):
                if text in str(block.render()):
                    return block.region.y
            raise AssertionError(text)

        # Dragged from inside the first piece's paragraph to inside the last piece's, past a list and a table.
        start, end = row_of("First paragraph"), row_of("After table")
        await pilot.mouse_down(offset=(4, start))
        await pilot.hover(offset=(10, end))
        await pilot.mouse_up(offset=(10, end))
        await pilot.pause()
        assert app.screen.get_selected_text() == (
            "rst paragraph alpha.\nTwo\nSecond paragraph beta.\n• item a\n• item b\nThree\nThird paragraph gamma.\n"
            "a\tb\n1\t2\nAfter ta"
        )


async def test_reading_back_up_a_page_at_a_time_keeps_the_place_and_draws_each_page_whole():
    """Page up from the end: each page is built whole, and the line that was at the top is then exactly one page
    below the top (a piece begun above the view that takes its real height moves the view with it, not the text)."""
    text = "".join(
        f"## Part {n}\n\n" + f"Part {n} says something at some length. " * (3 + n % 7) + "\n\n- a\n- b\n\n"
        for n in range(80)
    )

    app = OneView()
    app.animation_level = "none"
    async with app.run_test(size=(60, 24)) as pilot:
        view = app.query_one(WindowedMarkdown)
        view.update(text)
        await until(pilot, lambda: view.complete, "the first screens built")
        view.focus()
        await pilot.press("end")
        await until(pilot, lambda: view.complete and view.scroll_y >= view.max_scroll_y - 1, "the end built")
        page = view.scrollable_content_region.height

        def at(y: float) -> tuple[Piece, float]:
            for piece, start, end in view.placed():
                if start <= y < end:
                    return piece, y - start
            raise AssertionError(y)

        for _ in range(12):
            top = view.scroll_y
            piece, offset = at(top)
            await pilot.press("pageup")
            await until(pilot, lambda t=top: view.complete and view.scroll_y != t, "a page up")
            await pilot.pause()
            new_top, bottom, _height = view.view_span()
            assert not [p for p, s, e in view.placed() if p.markdown is None and e > new_top and s < bottom]
            start = next(s for p, s, _e in view.placed() if p is piece)
            assert start + offset == new_top + page, (start, offset, new_top, page)  # the old top, a page down


async def test_a_piece_not_built_yet_draws_blank_not_its_class_name():
    """Textual draws a childless widget's class name: before its build a piece in view showed "Piece" (seen at
    80x24 in the Report pane under load, the frame before the piece was built)."""

    app = OneView()
    async with app.run_test(size=SHORT) as pilot:
        view = app.query_one(WindowedMarkdown)
        view.update(SAMPLE * 4)
        await until(pilot, lambda: view.complete, "the first screen built")
        unbuilt = [p for p in view.pieces if p.markdown is None and p.parked is None]
        assert unbuilt  # pieces below the view wait for it
        assert all(str(p.render()) == "" for p in unbuilt)
        assert "Piece" not in str(view.pieces[0].render())  # built: its Markdown draws, not a label


async def test_a_piece_built_in_view_is_drawn_at_its_own_height_in_its_first_frame():
    """A piece in or below the view takes its own height in the layout that first draws it: built at its estimated
    height and fitted a frame later, its first frame showed it clipped (or with a gap under it), and each build
    cost a second layout and paint of the screen (the Report pane's opening, each page read down)."""
    # Wrapped table cells and long lines: the estimate (a row a line) is far from the laid-out height.
    text = (
        "Intro paragraph.\n\n| what | said |\n|---|---|\n"
        + "".join(f"| row {n} | {'a long cell that wraps at this width ' * 3} |\n" for n in range(6))
        + "\nAfter the table.\n\n"
        + "".join(f"## Part {n}\n\n" + f"Part {n} says something. " * 12 + "\n\n" for n in range(30))
    )

    app = OneView()
    first_frames: list[tuple[int, int]] = []  # (the piece's height, its Markdown's) in the first frame drawn with it
    async with app.run_test(size=(60, 24)) as pilot:
        view = app.query_one(WindowedMarkdown)

        def drawn(_screen) -> None:
            pieces = view.pieces
            markdown = pieces[0].markdown if pieces else None
            if not first_frames and markdown is not None and markdown.is_mounted and markdown.children:
                first_frames.append((pieces[0].outer_size.height, markdown.outer_size.height))

        app.screen.screen_layout_refresh_signal.subscribe(app, drawn, immediate=True)
        view.update(text)
        await until(pilot, lambda: view.complete, "the first screen built")
        assert first_frames, "no frame was drawn with the first piece"
        piece_height, markdown_height = first_frames[0]
        assert markdown_height > 0 and piece_height == markdown_height
        assert view.pieces[0].lines() == view.pieces[0].markdown.outer_size.height  # and so it stays


async def test_reading_keys_pressed_before_the_text_is_there_apply_once_it_is():
    """`9 pagedown pagedown` typed at once: the Report pane's document has focus while its text is still made in a
    thread; the two pages were scrolled on an empty document (lost). They now move the view once it is there."""
    text = "".join(f"## Part {n}\n\n" + f"Part {n} says something. " * 12 + "\n\n" for n in range(40))

    app = OneView()
    app.animation_level = "none"
    async with app.run_test(size=(60, 24)) as pilot:
        view = app.query_one(WindowedMarkdown)
        view.focus()
        await pilot.press("pagedown", "pagedown", "down")
        assert view.scroll_y == 0  # nothing to scroll yet
        view.update(text)
        await until(pilot, lambda: view.complete and view.scroll_y > 0, "the keys applied")
        page = view.scrollable_content_region.height
        assert view.scroll_y == 2 * page + 1
        await pilot.press("up")  # later keys as usual
        await until(pilot, lambda: view.scroll_y == 2 * page, "a line up")
