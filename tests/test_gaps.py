"""What a dataset cannot show, and why; the Overview's bars without stance are plain counts, not "unlabelled"."""

from __future__ import annotations

import pytest

from claimscope.figures.overview import stance_by_country_figure
from claimscope.ingest.dataset import load_dataset, load_folder
from claimscope.views.overview import stance_by_country
from tests.conftest import DATA_DIR

HEADER = "claim_id,date,speaker,speaker_country,kind,quote"
ROWS = ["c1,2024-06-19,A,RUS,claim,q", "c2,2024-06-20,B,KOR,reaction,r"]


def claims(header: str = HEADER, rows: list[str] = ROWS, extra: dict[str, bytes] | None = None):
    return load_dataset({"claims.csv": ("\n".join([header, *rows]) + "\n").encode(), **(extra or {})})


def test_the_required_columns_alone_lack_every_optional_piece():
    assert claims().gaps == {
        "stance": "claims.csv has no stance column",
        "about": "claims.csv has no about column",
        "events": "the dataset has no events.csv",
        "relations": "the dataset has no relations.csv",
        "reactions": "claims.csv has no responds_to column",
    }


@pytest.mark.parametrize(
    ("header", "rows", "extra", "piece", "reason"),
    [
        (
            HEADER + ",stance",
            ["c1,2024,A,RUS,claim,q,", "c2,2024,B,KOR,claim,r,"],
            None,
            "stance",
            "every stance cell of claims.csv is empty",
        ),
        (
            HEADER + ",about",
            ["c1,2024,A,RUS,claim,q,;", "c2,2024,B,KOR,claim,r,"],
            None,
            "about",
            "every about cell of claims.csv is empty",
        ),
        (HEADER + ",stance", ["c1,2024,A,RUS,claim,q,support"], None, "stance", None),
        (HEADER + ",about", ["c1,2024,A,RUS,claim,q,PRK"], None, "about", None),
        (HEADER, ROWS, {"events.csv": b"event_id,date,title\n"}, "events", "events.csv holds no accepted row"),
        (HEADER, ROWS, {"events.csv": b"event_id,date,title\nev,2024,Signed\n"}, "events", None),
        (
            HEADER + ",responds_to",
            ["c1,2024-06-19,A,RUS,claim,q,", "c2,2024-06-20,B,KOR,claim,r,c1"],
            None,
            "reactions",
            "no reaction of claims.csv responds to a statement or an event of the dataset",
        ),
        (HEADER + ",responds_to", ["c1,2024-06-19,A,RUS,claim,q,", "c2,2024-06-20,B,KOR,reaction,r,c1"], None, "reactions", None),
    ],
)
def test_each_gap_names_its_reason(header, rows, extra, piece, reason):
    assert claims(header, rows, extra).gaps.get(piece) == reason


def test_the_curated_data_has_no_gap():
    assert load_folder(DATA_DIR).gaps == {}


def test_without_stance_the_bars_are_plain_counts():
    dataset = claims()
    table = stance_by_country(dataset.claims)
    plain = stance_by_country_figure(table, by_stance=False)
    assert [trace.name for trace in plain.data] == ["statements"]
    assert list(plain.data[0].x) == list(table["total"])
    assert not plain.data[0].showlegend
    by_stance = stance_by_country_figure(table)
    assert [trace.name for trace in by_stance.data] == ["unlabelled"]  # what the page no longer draws for such data
