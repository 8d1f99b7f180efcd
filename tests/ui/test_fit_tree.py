"""FitTree fits each line to the room it has, and that room does not change when its scrollbar appears."""

from __future__ import annotations

from textual.app import App, ComposeResult

from workbench.ui.fit_tree import FitTree

from .waiting import until

LONG = "Token generation corruption from serving configuration changes"


class TreeApp(App[None]):
    def __init__(self, leaves: int) -> None:
        super().__init__()
        self.leaves = leaves

    def compose(self) -> ComposeResult:
        tree: FitTree[None] = FitTree("root", id="tree")
        tree.styles.width = 40
        family = tree.root.add("Family", expand=True)
        for n in range(self.leaves):
            family.add_leaf(f"{LONG} {n}")
        tree.root.expand()
        yield tree


async def _room_and_lines(leaves: int) -> tuple[int, list[str]]:
    app = TreeApp(leaves)
    async with app.run_test(size=(60, 12)) as pilot:
        tree = app.query_one(FitTree)
        await until(pilot, lambda: tree.scrollable_content_region.width > 0, "the tree to be laid out")
        room = tree.scrollable_content_region.width
        lines = [tree.render_line(y).text.rstrip() for y in range(3)]
        return room, lines


async def test_the_room_is_the_same_with_and_without_a_scrollbar() -> None:
    few_room, _ = await _room_and_lines(2)  # fits: no scrollbar
    many_room, _ = await _room_and_lines(40)  # overflows: the scrollbar shows
    assert few_room == many_room


async def test_a_long_line_ends_in_an_ellipsis_within_the_room() -> None:
    room, lines = await _room_and_lines(40)
    leaf = next(line for line in lines if "Token" in line)
    assert leaf.endswith("…")
    assert len(leaf) <= room
