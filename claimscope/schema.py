"""The dataset's schema, defined once.

Everything else is derived from the tables below: the pandera schemas that validate each file
(:mod:`claimscope.ingest.validation`), the data dictionary the app shows, the Frictionless resource
schemas in ``datapackage.json`` and the docs (``python -m claimscope dictionary``).
Changing a rule here changes it everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a cell is read and checked."""

    ID = "id"  # unique, non-empty identifier
    TEXT = "text"
    DATE = "date"  # ISO 8601 at day, month or year precision
    CODE = "code"  # a country, bloc or organisation code
    CODE_LIST = "code_list"  # ;-list of codes
    ENUM = "enum"  # one of a closed list
    SLUG_LIST = "slug_list"  # ;-list of lowercase slugs
    TEXT_LIST = "text_list"  # ;-list of free text
    URL = "url"  # absolute http(s) address
    BOOL = "bool"  # true / false
    NUMBER = "number"
    REF = "ref"  # an id of another file
    REF_LIST = "ref_list"  # ;-list of ids of other files
    PATH = "path"  # a path relative to the dataset folder


LIST_KINDS = {Kind.CODE_LIST, Kind.SLUG_LIST, Kind.TEXT_LIST, Kind.REF_LIST}
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Field:
    """One column of one file."""

    name: str
    kind: Kind
    description: str
    required: bool = False  # the column must be present and every cell non-empty
    values: tuple[str, ...] = ()  # the closed list, for ENUM
    refers_to: tuple[str, ...] = ()  # "file.column" targets, for REF / REF_LIST
    example: str = ""

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def frictionless_type(self) -> str:
        return {Kind.DATE: "string", Kind.BOOL: "boolean", Kind.NUMBER: "number", Kind.URL: "string"}.get(self.kind, "string")


@dataclass(frozen=True)
class FileSpec:
    """One CSV file of a dataset."""

    name: str  # file name, e.g. "claims.csv"
    description: str
    fields: tuple[Field, ...]
    required: bool = False
    key: str | None = None  # the unique id column
    extension_fields: tuple[str, ...] = field(default=())  # columns added beyond DATA_CONTRACT v1

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".csv")

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


KINDS_OF_STATEMENT = ("claim", "reaction")
CLAIM_TYPES = (
    "pledge",
    "assertion",
    "assessment",
    "concern",
    "warning",
    "demand",
    "plan",
    "praise",
    "condemnation",
    "denial",
)
STANCES = ("support", "oppose", "concern", "neutral")
CERTAINTIES = ("asserted", "hedged", "speculative")
ATTRIBUTIONS = ("direct_quote", "paraphrase", "unattributed")
DATE_BASES = ("stated", "inferred", "external")
ACTOR_KINDS = ("person", "government", "agency", "organization", "group", "media", "author")
COUNTRY_KINDS = ("state", "group", "organization")
SOURCE_KINDS = ("official", "state_media", "wire", "broadcaster", "newspaper", "online", "analysis", "other")
RELATIONS = ("alliance", "partnership", "support", "sanctions", "conflict", "concern", "diplomatic")

CLAIMS = FileSpec(
    name="claims.csv",
    description="One row per statement: a claim, or a reaction to a claim or event.",
    required=True,
    key="claim_id",
    extension_fields=("speaker_role",),
    fields=(
        Field("claim_id", Kind.ID, "Unique identifier of the statement.", required=True, example="seed-001"),
        Field("date", Kind.DATE, "When the statement was made, at the precision known.", required=True, example="2024-06-19"),
        Field(
            "speaker",
            Kind.TEXT,
            "One actor's name; a joint statement gets one row per speaker. Must be a name or alias in actors.csv when it exists.",
            required=True,
            example="Vladimir Putin",
        ),
        Field(
            "speaker_country",
            Kind.CODE,
            "The speaker's country, bloc or organisation code; empty only when attribution is unattributed.",
            example="RUS",
        ),
        Field(
            "kind",
            Kind.ENUM,
            "A claim, or a reaction that answers another statement or an event.",
            required=True,
            values=KINDS_OF_STATEMENT,
        ),
        Field(
            "quote",
            Kind.TEXT,
            "The words as they stand in the source; found verbatim in its text when the text is kept.",
            required=True,
        ),
        Field("summary", Kind.TEXT, "One neutral sentence in the curator's own words."),
        Field("about", Kind.CODE_LIST, "The country codes the statement is about.", example="RUS;PRK"),
        Field("claim_type", Kind.ENUM, "What the statement does.", values=CLAIM_TYPES),
        Field("stance", Kind.ENUM, "Stance toward the dataset's subject (datapackage.json).", values=STANCES),
        Field(
            "topics", Kind.SLUG_LIST, "Lowercase topic slugs from the curated vocabulary.", example="mutual-defense;ukraine-war"
        ),
        Field("certainty", Kind.ENUM, "asserted, hedged (could / may / potential) or speculative.", values=CERTAINTIES),
        Field(
            "attribution",
            Kind.ENUM,
            "The speaker's own words, the source's report of them, or the source's own analysis.",
            values=ATTRIBUTIONS,
        ),
        Field("source_id", Kind.REF, "The document the statement comes from.", refers_to=("sources.csv.source_id",)),
        Field(
            "responds_to",
            Kind.REF,
            "The claim or event this statement answers.",
            refers_to=("claims.csv.claim_id", "events.csv.event_id"),
        ),
        Field("date_basis", Kind.ENUM, "Where the date comes from.", values=DATE_BASES),
        Field("url", Kind.URL, "Where the statement appeared."),
        Field(
            "speaker_role",
            Kind.TEXT,
            "Extension: the speaker's office or function when the statement was made (actors.csv role is their main one).",
            example="NATO Secretary General",
        ),
    ),
)

ACTORS = FileSpec(
    name="actors.csv",
    description="Who speaks.",
    key="name",
    fields=(
        Field("name", Kind.ID, "The actor's name as used in claims.csv.", required=True, example="Vladimir Putin"),
        Field("kind", Kind.ENUM, "What sort of actor.", values=ACTOR_KINDS),
        Field("country", Kind.CODE, "The actor's country, bloc or organisation.", example="RUS"),
        Field("role", Kind.TEXT, "Office or function."),
        Field("aliases", Kind.TEXT_LIST, "Other names that claims.csv may use.", example="Putin"),
    ),
)

COUNTRIES = FileSpec(
    name="countries.csv",
    description="Country, bloc and organisation codes beyond ISO 3166-1 and the built-in groups, or overriding them.",
    key="code",
    extension_fields=("members_as_of",),
    fields=(
        Field("code", Kind.ID, "ISO 3166-1 alpha-3, or a code for a group or organisation.", required=True, example="PRK"),
        Field("name", Kind.TEXT, "Name."),
        Field("kind", Kind.ENUM, "A state, a group of states or an organisation.", values=COUNTRY_KINDS),
        Field("lat", Kind.NUMBER, "Latitude of the capital or seat (-90 to 90); empty for groups."),
        Field("lon", Kind.NUMBER, "Longitude of the capital or seat (-180 to 180); empty for groups."),
        Field("members", Kind.CODE_LIST, "Member codes, for groups and organisations."),
        Field("members_as_of", Kind.DATE, "Extension: the date the members list holds for."),
    ),
)

SOURCES = FileSpec(
    name="sources.csv",
    description="The documents the statements come from.",
    key="source_id",
    extension_fields=("note", "kind"),
    fields=(
        Field("source_id", Kind.ID, "Unique identifier of the document.", required=True, example="seed"),
        Field("title", Kind.TEXT, "Title."),
        Field("publisher", Kind.TEXT, "Publisher."),
        Field("published", Kind.DATE, "Publication date, at the precision known."),
        Field("url", Kind.URL, "Address of the document."),
        Field("license", Kind.TEXT, "Licence of the document, when known."),
        Field("text", Kind.PATH, "Path of the full text, relative to the dataset folder.", example="texts/seed-article.txt"),
        Field("note", Kind.TEXT, "Extension: the curator's note on the document (what is unknown, what a caption shows)."),
        Field(
            "kind",
            Kind.ENUM,
            "Extension: what sort of document: a government or intergovernmental page, state media, a wire, a broadcaster, "
            "a newspaper, an online-only outlet, analysis, or other.",
            values=SOURCE_KINDS,
        ),
    ),
)

EVENTS = FileSpec(
    name="events.csv",
    description="Dated context events for the timeline.",
    key="event_id",
    extension_fields=("end_date",),
    fields=(
        Field("event_id", Kind.ID, "Unique identifier of the event.", required=True, example="ev-2024-06-19-treaty-signed"),
        Field("date", Kind.DATE, "When it happened (the start, for a range).", required=True),
        Field(
            "end_date",
            Kind.DATE,
            "Extension: the end of a range (e.g. a two-day visit, or sources that disagree); not before date.",
        ),
        Field("title", Kind.TEXT, "Short title.", required=True),
        Field("description", Kind.TEXT, "What happened, in the curator's own words."),
        Field("countries", Kind.CODE_LIST, "Countries involved."),
        Field("location", Kind.TEXT, "Where."),
        Field("source_id", Kind.REF, "The document that supports it.", refers_to=("sources.csv.source_id",)),
        Field("url", Kind.URL, "Address of the supporting page."),
    ),
)

RELATIONS_FILE = FileSpec(
    name="relations.csv",
    description="Curated country-to-country relations, each with its evidence.",
    fields=(
        Field("from_country", Kind.CODE, "Source of the relation.", required=True),
        Field("to_country", Kind.CODE, "Target of the relation.", required=True),
        Field("relation", Kind.ENUM, "What sort of relation.", required=True, values=RELATIONS),
        Field("directed", Kind.BOOL, "true when the relation goes one way."),
        Field("start", Kind.DATE, "Since when."),
        Field("end", Kind.DATE, "Until when; not before start."),
        Field(
            "evidence",
            Kind.REF_LIST,
            "Claim or event ids that support it.",
            refers_to=("claims.csv.claim_id", "events.csv.event_id"),
        ),
        Field("note", Kind.TEXT, "Curator's note."),
    ),
)

FILES: tuple[FileSpec, ...] = (CLAIMS, ACTORS, COUNTRIES, SOURCES, EVENTS, RELATIONS_FILE)
FILES_BY_NAME = {spec.name: spec for spec in FILES}
TEXTS_FOLDER = "texts"
PACKAGE_FILE = "datapackage.json"
#: a file of the contract may also come as a workbook of the same name (claims.xlsx for claims.csv)
SHEET_SUFFIX = ".xlsx"

#: the rules that go beyond one column, listed in the data dictionary
CROSS_FILE_RULES: tuple[str, ...] = (
    "claims.csv speaker: a name or alias of actors.csv, when actors.csv exists.",
    "Every code (speaker_country, about, country, members, countries, from_country, to_country): an ISO 3166-1 alpha-3 code (current or withdrawn), a built-in group or organisation (EU, UN, NATO, G7, G20, ASEAN, AU, OSCE, SCO, BRICS, QUAD, GCC), or a code of countries.csv; a row of countries.csv overrides the built-in or ISO entry of its code.",
    "claims.csv speaker_country: may be empty only when attribution is unattributed.",
    "claims.csv quote: found verbatim (white space folded) in the text file of its source, when the source keeps one.",
    "claims.csv responds_to: a claim_id or event_id of the dataset, not the claim itself, and not dated after the reaction.",
    "claims.csv topics: in the vocabulary of datapackage.json (claimscope.topics), when it declares one.",
    "source_id, evidence: ids that exist in sources.csv / claims.csv / events.csv.",
    "sources.csv text: a relative path inside the dataset folder to a UTF-8 file that exists.",
    "events.csv end_date and relations.csv end: not before the start.",
)


def data_dictionary() -> list[dict[str, str]]:
    """One row per column of every file: what the app's Data page and the docs show."""
    rows = []
    for spec in FILES:
        for f in spec.fields:
            rows.append(
                {
                    "file": spec.name,
                    "column": f.name,
                    "required": "yes" if f.required else "no",
                    "type": f.kind.value,
                    "values": ", ".join(f.values) if f.values else ("; ".join(f.refers_to) if f.refers_to else ""),
                    "description": f.description,
                    "example": f.example,
                    "contract": "extension" if f.name in spec.extension_fields else "v1",
                }
            )
    return rows


def frictionless_schema(spec: FileSpec, columns: list[str] | None = None) -> dict:
    """The Table Schema of one file, for ``datapackage.json``.

    ``columns`` is the file's header when it is known: the Table Schema standard matches fields to columns
    by position, so a file that leaves out an optional column (or adds one of its own) gets a schema of
    exactly its columns, in its order; columns the contract does not know are described as plain strings.
    """
    known = {f.name: f for f in spec.fields}
    names = columns if columns is not None else [f.name for f in spec.fields]
    fields = []
    for name in names:
        f = known.get(name)
        if f is None:
            fields.append({"name": name, "type": "string", "description": "A column of the dataset's own, kept as it is."})
            continue
        entry: dict = {"name": f.name, "type": f.frictionless_type, "description": f.description}
        constraints: dict = {}
        if f.required:
            constraints["required"] = True
        if f.values:
            constraints["enum"] = list(f.values)
        if f.kind.value == "date":
            constraints["pattern"] = r"\d{4}(-\d{2}(-\d{2})?)?"
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if spec.key:
        schema["primaryKey"] = [spec.key]
    return schema
