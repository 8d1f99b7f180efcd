"""Search every incident and the taxonomy as you type (ctrl+k from anywhere).

Each keystroke starts a search in a worker thread; a newer keystroke makes older results stale,
and stale results are dropped, so typing never waits. Enter opens the incident at the entry that
matched (the timeline event, the cause, the narrative section ...); on a taxonomy mode it narrows
the search to incidents of that mode.
"""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Input, ProgressBar, Static
from textual.worker import get_current_worker

from ...domain.model import severity_label
from ...services.search import Hit, SearchResult
from ..panes import pane_classes
from ..search_index import SearchIndex
from ..help_registry import help_section
from ..keybar import KeyBar
from ..result_list import ResultList

# The pane that shows each kind of field; a pane another issue has not added yet falls back to Overview.
KIND_PANES = {
    "event": "timeline",
    "source": "timeline",
    "narrative": "narrative",
    "cause": "causes",
    "action": "actions",
    "lesson": "lessons",
    "gap": "gaps",
}
MATCH_STYLE = "bold reverse"
LIMIT = 50
CATCH_UP_AFTER_OPEN_S = 0.3  # the catch-up with the files, when the screen opened and nothing was typed


def pane_for(hit: Hit) -> str:
    wanted = KIND_PANES.get(hit.kind, "overview")
    available = {p.pane_id for p in pane_classes()}
    return wanted if wanted in available else "overview"


def hit_text(hit: Hit) -> Text:
    """Two lines: what matched (id, severity, stage, title) and where, with the matched characters marked."""
    head = Text(no_wrap=True, overflow="ellipsis")
    if hit.type == "mode":
        head.append("taxonomy  ", style="italic")
        head.append(hit.id, style="bold")
        head.append(f"  {hit.title}")
    else:
        e = hit.excerpt
        head.append(hit.id, style="bold")
        head.append(f"  {severity_label(e.severity)}  {e.stage}  ")
        head.append(hit.title)
    snippet = Text(hit.snippet, no_wrap=True, overflow="ellipsis")
    for span in hit.spans:
        snippet.stylize(MATCH_STYLE, span.start, span.end)
    where = Text(f"  {hit.field}: ", style="dim", no_wrap=True)
    text = Text.assemble(head, "\n", where, snippet)
    text.no_wrap, text.overflow = True, "ellipsis"  # two lines a result, always
    return text


def _hit_key(hit: Hit) -> tuple[str, str, str]:
    return (hit.type, hit.id, hit.entry)


def hit_detail(hit: Hit) -> Text:
    """A result whole, wrapped: the incident (id, severity, stage) or mode, its title, and the field with the
    matched text marked."""
    text = Text()
    if hit.type == "mode":
        text.append("taxonomy mode  ", style="italic")
        text.append(hit.id, style="bold")
    else:
        text.append(hit.id, style="bold")
        text.append(f"  {severity_label(hit.excerpt.severity)}  {hit.excerpt.stage}")
    text.append(f"\n{hit.title}\n")
    text.append(f"{hit.field}: ", style="dim")
    snippet = Text(hit.snippet)
    for span in hit.spans:
        snippet.stylize(MATCH_STYLE, span.start, span.end)
    text.append_text(snippet)
    return text


@help_section("Search", order=30)
class SearchScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("down", "focus_results", "Results", id="search.results", show=False),
        Binding("ctrl+u", "clear", "Clear", id="search.clear"),
        # enter opens the highlighted result while its key is being handled: by the field's Submitted message (a
        # later turn) a key typed right after enter had already gone to this screen ("down" moved focus) and was lost.
        Binding("enter", "open_highlighted", "Open", id="search.open", show=False, priority=True),
    ]

    DEFAULT_CSS = """
    SearchScreen #query { margin: 0 1; }
    SearchScreen #status { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen #status.error { color: $error; }
    SearchScreen #progress { padding: 0 1; height: 1; }
    SearchScreen #results { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    SearchScreen #hit-detail { height: auto; max-height: 6; padding: 0 1; border-top: solid $panel; }
    SearchScreen #hit-detail.-empty { display: none; }
    """

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self.initial = initial
        self.seq = 0  # the latest keystroke's number: results of older ones are dropped
        self.shown_seq = 0
        self.hits: list[Hit] = []
        self.shown_text: str | None = None  # the query the shown hits answer
        # One search thread at a time, and only for the newest query: a burst of keys (typed fast, or while the
        # screen opened) started one thread per key, each holding the interpreter in turn (six at once on a 10k
        # store delayed the answer to the word typed by seconds under load).
        self._searching = threading.Lock()
        self._catch_up_asked = False  # the index's catch-up with the files starts once a first answer is shown
        self._detail_shown: tuple[Hit, int] | None = None  # the hit in the detail below the list, at what width
        self._detail_lines = -1  # its height in lines
        # enter came before the answer to the field's text (ctrl+k, a query and enter typed at once): the hit is
        # opened when that answer is shown, not one of the answer before (the kept screen's last search, or the
        # newest incidents), and keys typed after enter wait for it (`building`, ui/key_hold.py).
        self._open_on_answer = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            value=self.initial,
            id="query",
            placeholder='Search incidents and the taxonomy: words (typos fine), "phrases", '
            "severity:P0 stage:analysis tag:rag mode:… owner:… status:open before:/after: "
            "is:overdue",
        )
        # No progress bar until the index is built in front of the reader (a first start, a rebuilt cache): a
        # ProgressBar is four widgets to compose, style and lay out, a part of the screen's first frame.
        yield Static("", id="status")
        yield ResultList(hit_text, id="results")
        yield Static("", id="hit-detail", classes="-empty")
        yield KeyBar()

    @property
    def building(self) -> bool:
        """enter waits for the answer to the field's text: ui/key_hold.py holds the keys typed after it."""
        return self._open_on_answer

    @property
    def index(self) -> SearchIndex:
        return SearchIndex.of(self.app)

    def on_mount(self) -> None:
        self.title = "Search"
        self.sub_title = self.app.store_label  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)
        self._index_listener = self.index.subscribe_on_loop(self.app, self._index_changed)
        # Focused now, not from a callback: keys typed with ctrl+k are held until the screen has a focus
        # (ui/key_hold.py), so they reach the field a turn of the loop sooner.
        self.set_focus(self.query_one("#query", Input))
        self._take_typed()
        self._open()

    def on_screen_resume(self) -> None:
        # Before Textual's own resume handler draws the frame (a subclass's handler runs first): the kept screen,
        # pushed again, takes what was typed with ctrl+k and held meanwhile (a first opening takes it on mount).
        if self._take_typed():
            self._search()

    def _take_typed(self) -> bool:
        """Characters typed with ctrl+k and held while this screen opened (ui/key_hold.py) go into the field at
        once, before the first frame: that frame shows them and their search starts as it is drawn. Replayed
        by the hold they landed after it, and the field's new text was a frame of its own before the answer's.
        True when some were taken."""
        hold = getattr(self.app, "key_hold", None)
        query = self.query_one("#query", Input)
        if hold is None or self.focused is not query:
            return False
        typed = hold.take_text()
        if typed:
            with query.prevent(Input.Changed):  # searched once by the caller, not again when the change is told
                query.insert_text_at_cursor(typed)
        return bool(typed)

    def _open(self) -> None:
        self._status("opening the search index …")
        if self.index.ready:
            # Answered from the index as it is (the empty query from its columns at once: the first frame shows
            # the newest incidents); its catch-up with the files (a stat of every file: 20,000 on a 10k store)
            # follows the first answer shown, not racing it for the interpreter (see _show).
            self._search()
        else:
            self._catch_up()

    def reopen(self) -> None:
        """Made ready to be shown again, before it is pushed (the app keeps one search screen: composing and
        styling a new one was a fifth of the loop's work to the first results): an empty field with the focus,
        so the keys typed with ctrl+k land in it in order, and the newest incidents listed, as a new screen."""
        query = self.query_one("#query", Input)
        with query.prevent(Input.Changed):  # the search below answers the empty field once
            query.value = ""
        self.set_focus(query)  # now: a focus asked for later would let the next key go to the list below
        self._hide_progress()
        self._catch_up_asked = False  # each opening catches the index up with the files, as a new screen did
        self._open_on_answer = False
        self.shown_text = None
        self._open()

    def on_unmount(self) -> None:
        self.index.unsubscribe(self._index_listener)

    # ------------------------------------------------------------------------------ index state
    def _index_changed(self, state: str, done: int, total: int) -> None:
        if not self.is_mounted or not self.query("#status"):  # an answer that arrives as the screen closes, or after
            return
        if not self.is_current:  # kept for the next ctrl+k, not shown: reopen answers afresh
            return
        if state == "indexing" and total:
            bars = self.query(ProgressBar)
            if bars:
                bar = bars.first()
            else:  # the first progress told: the bar is made now, above the status line
                bar = ProgressBar(id="progress", show_eta=False)
                self.mount(bar, before="#status")
            bar.display = True
            bar.update(total=total, progress=done)
            self._status(f"indexing for search: {done:,} of {total:,} incidents (keep typing)")
        elif state == "ready":
            self._hide_progress()
            self._search()
        elif state.startswith("failed"):
            self._hide_progress()
            self._status(f"search index {state}", error=True)

    def _hide_progress(self) -> None:
        for bar in self.query(ProgressBar):
            bar.display = False

    # --------------------------------------------------------------------------------- searching
    @on(Input.Changed, "#query")
    def _query_changed(self) -> None:
        self._search()

    def _search(self) -> None:
        self.seq += 1
        if not self.index.ready:
            return
        text = self.query_one("#query", Input).value
        if not text.strip() and self._keys_on_their_way():
            return  # typed with ctrl+k, held while the screen opened: their answer is the first worth drawing
        # The empty field (the screen opening, ctrl+u) lists the newest incidents: from the index's columns,
        # about a millisecond, answered here rather than by a thread and a second frame.
        newest = self.index.engine.newest_now(LIMIT) if not text.strip() else None
        if newest is not None:
            self._show(self.seq, newest, text)
        else:
            self.run_search(text, self.seq)

    def _answered_catch_up(self) -> None:
        """The catch-up, once the newest query's answer is on screen: the answer to the empty query the screen
        opens with comes while the keys typed with ctrl+k are still arriving, and the catch-up's stat of every
        file then competed with their searches (~70 ms of the interpreter on a 10k store)."""
        if self.shown_seq == self.seq and not self._keys_on_their_way():
            self._catch_up()
        # else: keys typed with ctrl+k are still being handed to the field (ui/key_hold.py): their answer, shown
        # next, starts it (the empty query is answered before the first frame, before those keys land)

    def _keys_on_their_way(self) -> bool:
        """Characters typed with ctrl+k, held by the app until this screen had opened (ui/key_hold.py)."""
        hold = getattr(self.app, "key_hold", None)
        return hold is not None and any(key.is_printable for key in hold.held)

    def _catch_up(self) -> None:
        if not self._catch_up_asked:
            self._catch_up_asked = True
            self.index.refresh_in_thread()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, text: str, seq: int) -> None:
        with self._searching:
            if seq != self.seq or get_current_worker().is_cancelled:
                return  # a newer key came while the search before ran: its own search answers
            worker = get_current_worker()
            # Stops early once a newer key has come: its own search is waiting for this lock.
            result = self.index.engine.search(text, limit=LIMIT, stale=lambda: seq != self.seq or worker.is_cancelled)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, seq, result, text)

    def _show(self, seq: int, result: SearchResult, text: str) -> None:
        if seq != self.seq:  # a newer keystroke is on its way
            return
        self.shown_seq = seq
        # The answer enter waits for is the one to the whole field (keys typed before enter may not have told
        # their change yet: the field holds them, the answer is of fewer).
        opening = self._open_on_answer and text == self.query_one("#query", Input).value
        if opening or result.error is not None:
            self._open_on_answer = False
        if text.strip() or self.shown_text is not None:
            self.call_after_refresh(self._answered_catch_up)  # once this answer is on screen
        else:
            # The empty field the screen opens with, answered before its first frame: keys typed with ctrl+k
            # may still be on their way to the field, and their search must not share the interpreter with the
            # catch-up. It starts after their answer, or after a pause when nothing was typed.
            self.set_timer(CATCH_UP_AFTER_OPEN_S, self._answered_catch_up)
        results = self.query_one("#results", ResultList)
        if result.error is not None:
            self._status(str(result.error), error=True)
            return
        # The same query answered again (the index finished a freshness check and the search re-ran) must not
        # move what the cursor is on: enter would open another hit than the one the reader chose.
        chosen = None
        if text == self.shown_text and results.highlighted is not None and self.hits:
            chosen = _hit_key(self.hits[results.highlighted])
        keys = [_hit_key(h) for h in result.hits]
        self.shown_text = text
        self.hits = result.hits
        # Nothing is measured or rendered here: the list draws the results that are on screen (an OptionList
        # rendered all 50 to count their lines, at every answer).
        results.set_items(result.hits, keys.index(chosen) if chosen in keys else 0)
        self._detail(results.highlighted if result.hits else None)
        query = result.query
        if query is None or query.is_empty:
            self._status(f"{result.total:,} incidents · type to search")
        elif not result.hits:
            self._status("nothing found")
        else:
            more = f" (first {len(result.hits)})" if result.total > len(result.hits) else ""
            matches = "match" if result.total == 1 else "matches"
            self._status(f"{result.total:,} {matches}{more} · ↓ to the results · enter opens at the match")
        if opening:
            self._open_shown()

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(Text(text), layout=False)  # one line, always: no layout of the screen per answer
        status.set_class(error, "error")

    @on(ResultList.Highlighted, "#results")
    def _highlighted(self, event: ResultList.Highlighted) -> None:
        self._detail(event.index)

    def _detail(self, n: int | None) -> None:
        """The highlighted result whole (a result line is cut with an ellipsis at 80 columns)."""
        detail = self.query_one("#hit-detail", Static)
        detail.set_class(n is None or n >= len(self.hits), "-empty")
        if n is None or n >= len(self.hits):
            return
        # Hidden until the first answer (no region yet): the width it will have, the screen's less its gutter.
        # Measured at 0 there, the list's Highlighted message measured it again once shown, and laid the whole
        # screen out and drew it a second time (~12 ms of the loop after the first results of every opening).
        width = detail.content_region.width or max(self.size.width - detail.styles.gutter.width, 0)
        hit = self.hits[n]
        if self._detail_shown == (hit, width):
            return  # an answer's highlight, told again by the list
        text = hit_detail(hit)
        # The screen is laid out again only when the detail's height changes (a layout per keystroke redrew
        # every widget of the screen): its height is its wrapped line count.
        lines = len(text.wrap(self.app.console, width)) if width else -1
        detail.update(text, layout=lines != self._detail_lines or lines < 0)
        self._detail_shown, self._detail_lines = (hit, width), lines

    # ----------------------------------------------------------------------------------- opening
    def action_open_highlighted(self) -> None:
        if not self.index.ready:  # no answer to wait for
            self._open_shown()
            return
        # enter is a priority binding, handled as it arrives: characters typed just before it may still be on
        # their way into the field, so what to open is decided from a callback queued behind them; keys typed
        # after enter wait meanwhile (`building`).
        self._open_on_answer = True
        self.query_one("#query", Input).call_later(self._enter_landed)

    def _enter_landed(self) -> None:
        if not self._open_on_answer:
            return  # opened already (_show), or the screen was opened afresh
        if self.shown_seq == self.seq and self.shown_text == self.query_one("#query", Input).value:
            self._open_on_answer = False
            self._open_shown()
        # else: the answer to the field's text opens its hit when it is shown (_show)

    def _open_shown(self) -> None:
        results = self.query_one("#results", ResultList)
        if self.hits:
            self.open_hit(self.hits[results.highlighted or 0])

    @on(ResultList.Selected, "#results")
    def _selected(self, event: ResultList.Selected) -> None:
        if event.index < len(self.hits):
            self.open_hit(self.hits[event.index])

    def open_hit(self, hit: Hit) -> None:
        if hit.type == "mode":
            # A failure mode: search the incidents it was seen in.
            query = self.query_one("#query", Input)
            query.value = f"mode:{hit.id}"
            query.focus()
            return
        self.dismiss()
        self.app.open_incident(hit.id, pane_for(hit), hit.entry or None)  # type: ignore[attr-defined]  # a WorkbenchApp attribute (self.app is typed App)

    def action_focus_results(self) -> None:
        self.query_one("#results", ResultList).focus()

    def action_clear(self) -> None:
        query = self.query_one("#query", Input)
        query.value = ""
        query.focus()

    def action_close(self) -> None:
        self.dismiss()

    def results_text(self) -> list[str]:
        """The results as plain text (for tests and screen readers)."""
        return [hit_text(h).plain for h in self.hits]
