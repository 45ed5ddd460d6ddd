"""What every figure shares: a colour-blind-safe stance palette with a second cue, and the empty state."""

from __future__ import annotations

import plotly.graph_objects as go

from claimscope.schema import STANCES

UNLABELLED = "unlabelled"
STANCE_ORDER: tuple[str, ...] = (*STANCES, UNLABELLED)
#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies
STANCE_COLOURS = {
    "support": "#0072B2",
    "oppose": "#D55E00",
    "concern": "#E69F00",
    "neutral": "#999999",
    UNLABELLED: "#CC79A7",
}
#: the second cue, so that colour is never the only one
STANCE_SYMBOLS = {"support": "circle", "oppose": "x", "concern": "triangle-up", "neutral": "square", UNLABELLED: "diamond"}
STANCE_PATTERNS = {"support": "", "oppose": "x", "concern": "/", "neutral": ".", UNLABELLED: "-"}
EVENT_COLOUR = "#000000"


def empty_figure(message: str) -> go.Figure:
    """A figure that says why it is empty instead of drawing bare axes."""
    figure = go.Figure()
    figure.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16})
    figure.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False}, height=240, margin={"l": 10, "r": 10, "t": 30, "b": 10}
    )
    return figure
