"""A synthetic dataset generator: N valid claims in the contract's shape, deterministic for a seed.

For benchmarks and scale tests (GDELT- or ACLED-like sizes). The skew is realistic: speakers follow
a Zipf-like long tail (a few make most statements), dates span 35 years at mixed precision, quotes
have 10 to 40 words, some statements react to earlier ones.

    python -m claimscope.synth OUT_DIR --claims 1000000 --seed 7
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from claimscope.schema import ATTRIBUTIONS, CERTAINTIES, CLAIM_TYPES, DATE_BASES, STANCES

STATES = (
    "RUS PRK KOR USA JPN CHN UKR GBR FRA DEU ITA CAN AUS NZL IND PAK IRN ISR TUR SAU EGY ZAF BRA MEX ARG "
    "POL SWE NOR FIN EST LVA LTU BLR KAZ MNG VNM THA PHL IDN MYS SGP NLD BEL ESP PRT GRC HUN CZE ROU"
).split()
GROUPS = {
    "NATO": ("organization", "USA;GBR;FRA;DEU;ITA;CAN;POL;NOR"),
    "UN": ("organization", ""),
    "EUU": ("organization", "FRA;DEU;ITA;POL;SWE;NLD"),
    "G7": ("group", "USA;JPN;GBR;FRA;DEU;ITA;CAN"),
    "WEST": ("group", "USA;GBR;FRA;DEU;CAN;AUS"),
    "ASEAN": ("organization", "VNM;THA;PHL;IDN;MYS;SGP"),
    "BRICS": ("group", "BRA;RUS;IND;CHN;ZAF"),
    "AU": ("organization", "EGY;ZAF"),
    "SCO": ("organization", "RUS;CHN;IND;PAK;KAZ"),
    "QUAD": ("group", "USA;JPN;AUS;IND"),
    "MSMT": ("group", "KOR;USA;JPN;GBR;FRA;DEU"),
}
TOPICS = (
    "mutual-defense arms-transfers military-technology nuclear-program sanctions ukraine-war economy "
    "infrastructure regional-stability diplomacy troop-deployment energy-resources labor-exports"
).split()
WORDS = (
    "treaty partnership security pledge support arms missile sanctions talks summit leaders border bridge "
    "economy trade cooperation military defense aggression peace stability region war troops weapons "
    "nuclear program concern warning demand plan praise condemn deny allies officials ministry statement "
    "agreement strategic comprehensive mutual assistance clause attack response deployment technology "
    "energy oil labour export health science culture bilateral relationship historic visit"
).split()
START = np.datetime64("1990-01-01")
DAYS = 35 * 365


def generate(n_claims: int, seed: int = 7, n_speakers: int = 2000) -> dict[str, pd.DataFrame]:
    """Every file of a valid dataset of ``n_claims`` claims, as frames of text."""
    rng = np.random.default_rng(seed)
    codes = np.array(STATES + list(GROUPS))
    # speakers: a Zipf-like long tail, each with a fixed country
    speaker_names = np.array([f"Speaker {i:05d}" for i in range(n_speakers)])
    speaker_country = codes[rng.integers(0, len(codes), n_speakers)]
    weights = 1.0 / np.arange(1, n_speakers + 1) ** 1.1
    speaker_index = rng.choice(n_speakers, size=n_claims, p=weights / weights.sum())

    days = np.sort(rng.integers(0, DAYS, n_claims))
    when = pd.to_datetime(START + days.astype("timedelta64[D]"))
    precision = rng.choice(3, size=n_claims, p=[0.8, 0.15, 0.05])
    dates = np.where(
        precision == 0, when.strftime("%Y-%m-%d"), np.where(precision == 1, when.strftime("%Y-%m"), when.strftime("%Y"))
    )

    ids = np.char.add("c", np.arange(n_claims).astype(str))
    is_reaction = rng.random(n_claims) < 0.3
    # a reaction answers an earlier claim, dated to the day, a little before it
    target = np.maximum(0, np.arange(n_claims) - rng.integers(1, 200, n_claims))
    can_answer = is_reaction & (precision[target] == 0) & (precision == 0) & (np.arange(n_claims) > 0)
    responds = np.where(can_answer, ids[target], "")
    kinds = np.where(can_answer, "reaction", "claim")

    about_first = codes[rng.integers(0, len(STATES), n_claims)]
    about_second = codes[rng.integers(0, len(STATES), n_claims)]
    about = np.where(
        (rng.random(n_claims) < 0.5) & (about_first != about_second),
        np.char.add(np.char.add(about_first, ";"), about_second),
        about_first,
    )
    topics = np.array(TOPICS)[rng.integers(0, len(TOPICS), n_claims)]

    word_array = np.array(WORDS)
    lengths = rng.integers(10, 41, n_claims)
    tokens = word_array[rng.integers(0, len(WORDS), int(lengths.sum()))]
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    quotes = [" ".join(tokens[bounds[i] : bounds[i + 1]]) for i in range(n_claims)]

    claims = pd.DataFrame(
        {
            "claim_id": ids,
            "date": dates,
            "speaker": speaker_names[speaker_index],
            "speaker_country": speaker_country[speaker_index],
            "kind": kinds,
            "quote": quotes,
            "summary": [q[:60] for q in quotes],
            "about": about,
            "claim_type": np.array(CLAIM_TYPES)[rng.integers(0, len(CLAIM_TYPES), n_claims)],
            "stance": np.array(STANCES)[rng.choice(len(STANCES), n_claims, p=[0.3, 0.3, 0.25, 0.15])],
            "topics": topics,
            "certainty": np.array(CERTAINTIES)[rng.integers(0, len(CERTAINTIES), n_claims)],
            "attribution": np.array(ATTRIBUTIONS)[rng.integers(0, len(ATTRIBUTIONS), n_claims)],
            "source_id": "",
            "responds_to": responds,
            "date_basis": np.array(DATE_BASES)[rng.integers(0, len(DATE_BASES), n_claims)],
            "url": np.char.add("https://example.org/s/", ids),
        }
    )
    actors = pd.DataFrame({"name": speaker_names, "kind": "person", "country": speaker_country, "role": "", "aliases": ""})
    rows = [{"code": c, "name": c, "kind": "state", "lat": "", "lon": "", "members": ""} for c in STATES]
    rows += [
        {"code": c, "name": c, "kind": kind, "lat": "", "lon": "", "members": members} for c, (kind, members) in GROUPS.items()
    ]
    countries = pd.DataFrame(rows)
    return {"claims.csv": claims, "actors.csv": actors, "countries.csv": countries}


def write(folder: str | Path, n_claims: int, seed: int = 7) -> Path:
    """Write the synthetic dataset to ``folder`` (created), with a datapackage.json naming its topics."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in generate(n_claims, seed).items():
        frame.to_csv(out / name, index=False, lineterminator="\n")
    package = {
        "title": f"Synthetic claims ({n_claims:,}, seed {seed})",
        "version": "synthetic",
        "claimscope": {"subject": "a synthetic subject", "topics": {t: "" for t in TOPICS}},
    }
    (out / "datapackage.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m claimscope.synth", description="Write a synthetic dataset.")
    parser.add_argument("folder")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(write(args.folder, args.claims, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
