"""A Markdown render cancelled halfway (a newer text, a pane closing) must not end the app's message loop."""

from __future__ import annotations

import asyncio
import time

from textual.app import App, ComposeResult
from textual.widgets import Markdown

from workbench.ui.markdown_update import update_markdown

from .waiting import until

# Two of Textual's batches of 200 blocks (three blocks a part): the first look is taken at every turn of the event
# loop, so the render is caught while its first batch mounts, whatever the load (polled every 10-100 ms, 480
# blocks were sometimes all mounted before the first look, so it took 1,500 widgets, ~25 s of CPU). The later
# looks do not wait for the screen to settle (Pilot gives that 30 s, exceeded at load 14).
PARTS = 100
TEXT = "\n\n".join(f"## Part {i}\n\nParagraph {i} with *emphasis*.\n\n- one\n- two" for i in range(PARTS))


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown("Before.", id="md")


def blocks(md: Markdown) -> int:
    return sum(1 for _ in md.walk_children())


async def test_a_render_cancelled_halfway_runs_to_its_end_and_the_app_keeps_handling_messages():
    app = Host()
    async with app.run_test() as pilot:
        md = app.query_one(Markdown)
        start = blocks(md)
        worker = app.run_worker(update_markdown(md, TEXT))
        deadline = time.monotonic() + 180
        while blocks(md) <= start + 50:  # at every turn of the loop: the render is not done between two looks
            assert not worker.is_finished, "the render ended before a look saw its first blocks"
            assert time.monotonic() < deadline, "timed out after 180 s waiting for the first blocks mounted"
            await asyncio.sleep(0)
        assert not worker.is_finished  # cancelled halfway, not after the end
        worker.cancel()
        # The app's own loop still runs messages (a cancelled render used to end it: keys queued, never handled).
        handled: list[bool] = []
        app.call_later(handled.append, True)
        await until(pilot, lambda: handled, "a message handled by the app after the cancel", timeout=180, settle=False)
        # The render ran to its end: every part is there (its heading and its list, the last block), the old text
        # gone. Not settled after: Pilot's settle (30 s) was exceeded at load 12 while the last blocks mounted.
        await until(
            pilot,
            lambda: len(md.query("MarkdownH2")) == PARTS and len(md.query("MarkdownBulletList")) == PARTS,
            f"all {PARTS} parts",
            timeout=600,  # 180 s was exceeded at load 30 with 1,500 widgets (the --latest run of stop 32)
            settle=False,
        )
        assert "Before." not in " ".join(str(b.render()) for b in md.query("MarkdownParagraph"))
    assert app.return_code in (0, None)
