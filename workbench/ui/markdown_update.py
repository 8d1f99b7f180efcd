"""Updating a Markdown widget from a worker that may be cancelled.

A Markdown update removes the old blocks and mounts new ones. Awaited from a worker that is then cancelled (an
exclusive worker replaced by a newer one, or its pane closing), the cancellation runs down what it awaits, to the
new blocks' own message-pump tasks; Textual awaits those tasks again in the app's message loop (the removal it
queued with `call_next`), gets CancelledError there, and that ends the app's loop: every later key is queued and
never handled (found at load 11: after a switch to the Narrative pane, typing stopped landing after five
characters, and the app hung at exit). Shielded, cancelling the worker ends only its wait; the update runs to its
end, as Textual's own MarkdownStream does.
"""

from __future__ import annotations

import asyncio

from textual.widgets import Markdown


async def update_markdown(markdown: Markdown, text: str) -> None:
    """`markdown.update(text)`, run to its end even if the caller is cancelled meanwhile."""
    await asyncio.shield(markdown.update(text))
