"""An actor's profile: who they are, what they said over time, whom they answered and who answered them.

Pure functions, each a "table in → small table out" step (filter, group, aggregate; no loop over rows), so
that they stay fast on a million claims and port to a SQL engine as they stand. The actor is the value of
the ``speaker`` column (the profile's subject, as the ``speaker`` URL parameter names it); actors.csv tells
who they are, found by name or alias.

Column contracts:

- :func:`roles_over_time`: ``role, first, last, statements, source``
- :func:`value_counts`: ``value, statements, share`` (share of the actor's statements, 0–1)
- :func:`answered`: :data:`ANSWERED_COLUMNS`, one row per reaction of the actor whose target exists
- :func:`answered_by`: :data:`ANSWERED_BY_COLUMNS`, one row per reaction of others to the actor's statements
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from claimscope.authors import AUTHOR_KIND, country_labels, is_author
from claimscope.views.timeline import reaction_latency, timeline_points

#: claims.csv may carry the speaker's role at the time of each statement; actors.csv's role is the fallback
ROLE_COLUMN = "speaker_role"
ROLE_COLUMNS = ["role", "first", "last", "statements", "source"]
COUNT_COLUMNS = ["value", "statements", "share"]
ANSWERED_COLUMNS = [
    "claim_id",
    "date",
    "stance",
    "responds_to",
    "target_kind",
    "target_date",
    "target_speaker",
    "target_country",
    "days",
    "status",
]
ANSWERED_BY_COLUMNS = [
    "claim_id",
    "date",
    "speaker",
    "speaker_country",
    "stance",
    "responds_to",
    "target_date",
    "days",
    "status",
]
STATEMENT_COLUMNS = ["claim_id", "date", "kind", "stance", "claim_type", "about", "topics", "summary", "quote"]


@dataclass(frozen=True)
class ActorCard:
    """Who an actor is: actors.csv's record (found by name or alias) and what their statements add."""

    name: str
    listed: bool  # actors.csv lists them (by name or alias)
    kind: str
    country: str  # actors.csv's country, else their statements' most frequent speaker country
    role: str  # actors.csv's role (the role at the time, when claims.csv has one, is in roles_over_time)
    aliases: tuple[str, ...]
    canonical: str  # actors.csv's name, which differs from ``name`` when the statements use an alias
    is_author: bool  # the source's own analysis, not a stakeholder


def column_in(column: pd.Series, values: pd.Series) -> np.ndarray:
    """``column.isin(values)`` computed in Arrow: pandas' isin on Arrow strings turns every value into a Python
    object first, which takes seconds for the 100,000 ids of a prolific actor against a million claims."""
    if len(column) == 0 or len(values) == 0:
        return np.zeros(len(column), dtype=bool)
    left = _arrow_strings(column)
    right = pc.unique(_arrow_strings(values))
    hits = pc.fill_null(pc.is_in(left, value_set=right), False)
    return hits.to_numpy(zero_copy_only=False).astype(bool)


def _arrow_strings(column: pd.Series) -> pa.Array:
    try:
        array = pa.array(column.array)  # the Arrow data itself, for Arrow-backed columns
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        array = pa.array(column.astype(object).to_numpy(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string()) if not pa.types.is_large_string(array.type) else array


def actor_record(actors: pd.DataFrame, name: str) -> dict | None:
    """actors.csv's row for ``name``, matched on the name first, then on the aliases."""
    if actors.empty or "name" not in actors:
        return None
    rows = actors.loc[actors["name"] == name]
    if rows.empty and "aliases" in actors:
        exploded = actors["aliases"].explode()
        hits = exploded.index[exploded.astype(object) == name]
        rows = actors.loc[hits.unique()]
    return None if rows.empty else rows.iloc[0].to_dict()


def actor_statements(claims: pd.DataFrame, name: str) -> pd.DataFrame:
    """The statements whose speaker is ``name`` (the profile's subject), in their order."""
    if claims.empty:
        return claims
    return claims.loc[claims["speaker"] == name]


def actor_card(actors: pd.DataFrame, statements: pd.DataFrame, name: str) -> ActorCard:
    """What the profile says about who the actor is; ``statements`` are all of theirs (not the filtered ones)."""
    record = actor_record(actors, name) or {}
    country = str(record.get("country") or "")
    if not country and not statements.empty:
        country = most_frequent_country(statements)
    return card_of(record, name, country, all_author=bool(len(statements) and is_author(statements).all()))


def most_frequent_country(statements: pd.DataFrame) -> str:
    """The speaker country the statements give most often (``""`` when none gives one); a tie goes to the code
    that sorts first, so that every engine names the same one."""
    countries = statements["speaker_country"].astype(str)
    counts = countries[countries != ""].value_counts()
    if counts.empty:
        return ""
    return str(sorted(counts.index, key=lambda code: (-counts[code], code))[0])


def card_of(record: dict, name: str, country: str, *, all_author: bool) -> ActorCard:
    """The card from actors.csv's ``record`` (``{}`` when it does not list the actor), the ``country`` to show (its
    own, else their statements' most frequent) and whether every statement of theirs is the source's own analysis."""
    aliases = record.get("aliases")
    kind = str(record.get("kind") or "")
    return ActorCard(
        name=name,
        listed=bool(record),
        kind="" if kind == "nan" else kind,
        country=country,
        role=str(record.get("role") or ""),
        aliases=tuple(str(a) for a in aliases) if aliases is not None and not isinstance(aliases, str) else (),
        canonical=str(record.get("name") or name),
        is_author=kind == AUTHOR_KIND or all_author,
    )


def roles_over_time(statements: pd.DataFrame, fallback_role: str = "") -> pd.DataFrame:
    """The actor's roles with the first and last statement made in each.

    claims.csv's ``speaker_role`` (the role at the time) when the column is present and filled; otherwise
    one row for actors.csv's role (``fallback_role``) over all their statements.
    """
    if statements.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ROLE_COLUMNS})
    dated = statements[["claim_id", "date", "date_start", "date_end"]]
    if ROLE_COLUMN in statements:
        roles = statements[ROLE_COLUMN].astype(object).fillna("").astype(str).str.strip()
        if (roles != "").any():
            frame = dated.assign(role=roles.where(roles != "", fallback_role or "(role not given)").to_numpy())
            return _role_spans(frame, "claims.csv speaker_role")
    if not fallback_role:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ROLE_COLUMNS})
    return _role_spans(dated.assign(role=fallback_role), "actors.csv role")


def _role_spans(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    frame = frame[["claim_id", "role", "date", "date_start", "date_end"]]
    first = frame.sort_values(["date_start", "claim_id"], na_position="last").drop_duplicates("role")[["role", "date"]]
    last = frame.sort_values(["date_end", "claim_id"], na_position="first").drop_duplicates("role", keep="last")[["role", "date"]]
    counts = frame.groupby("role", observed=True).size().rename("statements").reset_index()
    table = counts.merge(first.rename(columns={"date": "first"}), on="role").merge(
        last.rename(columns={"date": "last"}), on="role"
    )
    first_start = frame.groupby("role", observed=True)["date_start"].min().rename("_start")
    table = table.merge(first_start, left_on="role", right_index=True).sort_values(["_start", "role"], na_position="last")
    return table.assign(source=source)[ROLE_COLUMNS].reset_index(drop=True)


def value_counts(statements: pd.DataFrame, column: str, limit: int | None = None) -> pd.DataFrame:
    """How many of the statements carry each value of ``column`` (list columns exploded), most first.

    ``share`` is of the statements given (a statement about three countries counts once for each).
    """
    if statements.empty or column not in statements:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})
    values = statements[column].explode() if is_list_column(statements[column]) else statements[column]
    values = values.dropna().astype(str)
    values = values[values != ""]
    counts = values.value_counts().rename("statements").rename_axis("value").reset_index()
    counts = counts.sort_values(["statements", "value"], ascending=[False, True], kind="stable")
    if limit is not None:
        counts = counts.head(limit)
    return counts.assign(share=counts["statements"] / len(statements))[COUNT_COLUMNS].reset_index(drop=True)


def is_list_column(column: pd.Series) -> bool:
    """A column of lists (Arrow list columns as the loader makes them, or Python lists)."""
    if isinstance(column.dtype, pd.ArrowDtype):
        return "list" in str(column.dtype.pyarrow_dtype)
    return column.dtype == object and len(column) > 0 and isinstance(column.iloc[0], list)


def first_and_last(statements: pd.DataFrame) -> tuple[dict | None, dict | None]:
    """The actor's earliest statement (by the start of its date) and latest (by the end of its date)."""
    dated = statements.loc[statements["date_start"].notna()] if not statements.empty else statements
    if dated.empty:
        return None, None
    narrow = dated[["claim_id", "date_start", "date_end"]]  # sort three columns, not every one
    first = narrow.sort_values(["date_start", "claim_id"], kind="stable").index[0]
    last = narrow.sort_values(["date_end", "claim_id"], kind="stable").index[-1]
    return dated.loc[first].to_dict(), dated.loc[last].to_dict()


def statement_points(statements: pd.DataFrame) -> pd.DataFrame:
    """The actor's statements as :func:`claimscope.views.timeline.timeline_points`, one lane per kind (claim, reaction).

    The timeline figure then draws them with their date precision (or, past its limit, aggregated).
    """
    points = timeline_points(statements, "actor")
    return points.assign(lane=points["kind"].astype(str)) if len(points) else points


def answered(statements: pd.DataFrame, all_claims: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Whom the actor answered: each of their reactions whose target (a claim or an event) exists, with the days.

    ``target_speaker`` is the answered claim's speaker or the event's title; ``target_country`` the answered
    claim's speaker country (the source's own analysis named as such) or the event's countries. Days as in
    :func:`claimscope.views.timeline.reaction_latency`: counted only when both dates are known to the day.
    """
    if statements.empty or "responds_to" not in statements:
        return _empty(ANSWERED_COLUMNS)
    wanted = statements["responds_to"].astype(str)
    wanted = wanted[wanted.str.strip() != ""]
    if wanted.empty:
        return _empty(ANSWERED_COLUMNS)
    targets = all_claims.loc[column_in(all_claims["claim_id"], wanted)]
    latency = reaction_latency(statements, targets, events)
    if latency.empty:
        return _empty(ANSWERED_COLUMNS)
    claim_targets = targets.assign(target_speaker=targets["speaker"], target_country=country_labels(targets))[
        ["claim_id", "target_speaker", "target_country"]
    ].rename(columns={"claim_id": "responds_to"})
    parts = [claim_targets]
    if not events.empty and "event_id" in events:
        hit = events.loc[events["event_id"].isin(wanted)]
        parts.append(
            pd.DataFrame(
                {
                    "responds_to": hit["event_id"],
                    "target_speaker": hit["title"].astype(str),
                    "target_country": hit["countries"].map(lambda codes: ", ".join(codes) if codes is not None else ""),
                }
            )
        )
    labels = pd.concat(parts, ignore_index=True).drop_duplicates("responds_to")
    table = latency.merge(labels, on="responds_to", how="left")
    return table.sort_values(["date", "claim_id"], kind="stable")[ANSWERED_COLUMNS].reset_index(drop=True)


def answered_by(statements: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Who answered the actor: statements of others among ``candidates`` that respond to one of ``statements``.

    ``candidates`` is usually the dataset's claims under every filter but the speaker one (the profile's subject).
    """
    if statements.empty or candidates.empty or "responds_to" not in candidates:
        return _empty(ANSWERED_BY_COLUMNS)
    ids = statements["claim_id"]
    replies = candidates.loc[column_in(candidates["responds_to"], ids) & ~column_in(candidates["claim_id"], ids)]
    if replies.empty:
        return _empty(ANSWERED_BY_COLUMNS)
    latency = reaction_latency(replies, statements, pd.DataFrame())
    labels = replies.assign(speaker_country=country_labels(replies))[["claim_id", "speaker_country"]]
    latency = latency.drop(columns=["speaker_country"]).merge(labels, on="claim_id", how="left")
    return latency.sort_values(["date", "claim_id"], kind="stable")[ANSWERED_BY_COLUMNS].reset_index(drop=True)


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True)
class Threads:
    """The threads an actor starts (statements others answered) and joins (their own reactions)."""

    reactions: int  # the actor's reactions to a statement or event of the dataset
    answered_speakers: int  # distinct speakers (or events) they answered
    started: int  # the actor's statements that drew at least one reaction
    replies: int  # reactions of others to them
    responders: int  # distinct speakers who answered them
    median_days_to_answer: float | None  # the actor's median latency (dates known to the day)
    median_days_answered: float | None  # others' median latency to the actor


def threads(answers: pd.DataFrame, replies: pd.DataFrame) -> Threads:
    """Counts of :func:`answered` and :func:`answered_by`, for the sentence above their tables."""
    to_answer = answers["days"].dropna().astype(float) if len(answers) else pd.Series(dtype=float)
    to_them = replies["days"].dropna().astype(float) if len(replies) else pd.Series(dtype=float)
    return Threads(
        reactions=len(answers),
        answered_speakers=int(answers["target_speaker"].nunique()) if len(answers) else 0,
        started=int(replies["responds_to"].nunique()) if len(replies) else 0,
        replies=len(replies),
        responders=int(replies["speaker"].nunique()) if len(replies) else 0,
        median_days_to_answer=float(to_answer.median()) if len(to_answer) else None,
        median_days_answered=float(to_them.median()) if len(to_them) else None,
    )


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _days(value: float | None) -> str:
    if value is None:
        return ""
    number = f"{value:g}"
    return f" (median {number} day{'' if value == 1 else 's'})"


def threads_sentence(name: str, summary: Threads) -> str:
    """One plain sentence: the threads the actor joined and started, with the median days (when countable)."""
    joined = (
        f"{name} answered {_plural(summary.answered_speakers, 'speaker or event', 'speakers or events')} "
        f"in {_plural(summary.reactions, 'reaction')}{_days(summary.median_days_to_answer)}"
        if summary.reactions
        else f"{name} answered no statement or event of the dataset"
    )
    started = (
        f"{_plural(summary.started, 'statement')} of theirs drew {_plural(summary.replies, 'reaction')} "
        f"from {_plural(summary.responders, 'speaker')}{_days(summary.median_days_answered)}"
        if summary.replies
        else "no statement of theirs drew a reaction"
    )
    return f"{joined}; {started}."
