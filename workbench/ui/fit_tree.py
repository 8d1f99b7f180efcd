"""A Tree whose lines end in an ellipsis at its width instead of running past the edge (80 columns)."""

from __future__ import annotations

from typing import TypeVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

T = TypeVar("T")


class FitTree(Tree[T]):
    """Each line is fitted when it is drawn, so it is right whenever the labels were made (before the first
    layout too) and after every resize; the screen's detail area shows the node whole.

    The gutter is kept whether or not the scrollbar shows: Tree caches a drawn line by the widget's size, which a
    scrollbar appearing after the first frame does not change, so a line fitted before it would keep the wider
    fit and be cut hard at the edge (seen as "configu" instead of "config…" in a loaded test run)."""

    DEFAULT_CSS = "FitTree { scrollbar-gutter: stable; }"

    def render_label(self, node: TreeNode[T], base_style: Style, style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        width = self.scrollable_content_region.width
        if not width:
            return text
        depth, parent = 0, node.parent
        while parent is not None and (parent is not self.root or self.show_root):
            depth, parent = depth + 1, parent.parent
        room = width - self.guide_depth * depth
        if text.cell_len > room:
            text.truncate(max(room, 4), overflow="ellipsis")
        return text
