"""The CSS of every screen and modal opened after the list (search, help, taxonomy, meeting, conflicts, a raw
file's view, confirmations, pickers, the import review, the stage gate, the outside-edit questions), of the
widgets they are made of and of those the panes mount as they fill (tables, trees, markdown blocks), put in the
stylesheet ahead with the incident screen's and the Learning screen's (app.warm_styles_ahead), so the one parse
that warm-up does covers them.

Past 64 CSS sources Textual's stylesheet parses every source again for each new one (its parse cache holds 64;
learning_styles.py), and the list plus an incident screen opened are past it: the search screen's first opening
brought its own and its result list's (a full parse of every source on the loop as ctrl+k pushed it), and each
modal's first push and each pane's first table or markdown block its own. The forms' widgets come with the same
warm-up too (forms.form_warmup_box): they used to be mounted one second after the first incident opened, a full
parse of their own then."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.widgets import (
    Button,
    ContentSwitcher,
    DataTable,
    Header,
    Input,
    Markdown,
    OptionList,
    SelectionList,
    Static,
    TextArea,
    Tree,
)

from ..diagnostic_form import DiagnosticForm
from ..fit_tree import FitTree
from ..hints import HintLine
from ..keybar import KeyBar
from ..markdown_blocks import ONE_WIDGET_BLOCKS, LightMarkdown
from ..modals.confirm import ConfirmModal
from ..modals.export_path import ExportPathModal
from ..modals.outside_edit import BothVersionsModal, OutsideEditModal
from ..modals.pick import PickManyModal, PickOneModal
from ..modals.restore import RestoreModal
from ..modals.stage_gate import StageGateModal
from ..modals.taxonomy_picker import TaxonomyPicker
from ..modals.timeline_staging import TimelineStagingModal
from ..reading_scroll import ReadingScroll
from ..result_list import ResultList
from ..styles_ahead import add_default_css
from ..tables import FitTable
from ..windowed_markdown import Piece, WindowedMarkdown
from .conflicts import ConflictsScreen
from .help import HelpScreen
from .meeting import MeetingScreen
from .raw_view import ReadOnlyViewScreen
from .search import SearchScreen
from .taxonomy import TaxonomyScreen

# The screens and modals (their bases' CSS comes with them: ModalScreen's, Screen's), then what they are made
# of. Select's parts are not public: they come with the forms' warm-up box, which mounts one Select.
SCREENS: tuple[type[DOMNode], ...] = (
    SearchScreen,
    HelpScreen,
    TaxonomyScreen,
    MeetingScreen,
    ConflictsScreen,
    ReadOnlyViewScreen,
    ConfirmModal,
    ExportPathModal,
    OutsideEditModal,
    BothVersionsModal,
    PickManyModal,
    PickOneModal,
    RestoreModal,
    StageGateModal,
    TaxonomyPicker,
    TimelineStagingModal,
    DiagnosticForm,
)
WIDGETS: tuple[type[DOMNode], ...] = (
    ResultList,
    ReadingScroll,
    KeyBar,
    Header,
    FitTable,
    FitTree,
    Tree,
    Markdown,
    LightMarkdown,
    *Markdown.BLOCKS.values(),  # the blocks a pane's markdown mounts as it fills (Textual's public mapping)
    *ONE_WIDGET_BLOCKS.values(),
    WindowedMarkdown,
    Piece,
    TextArea,
    ContentSwitcher,
    HintLine,
    Static,
    Input,
    Button,
    OptionList,
    SelectionList,
    DataTable,
    Vertical,
    Horizontal,
    VerticalScroll,
)


def add_later_styles(app: App[Any]) -> None:
    """Add the CSS of the screens and modals opened after the list, and of their widgets, to `app`'s stylesheet
    as their first mounts would; parsed at the stylesheet's next use (call it just before a warm-up mount)."""
    for cls in (*SCREENS, *WIDGETS):
        add_default_css(app, cls)
