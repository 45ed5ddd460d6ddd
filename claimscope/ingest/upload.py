"""Turning an analyst's uploaded files (CSV or .xlsx, text, datapackage.json, or one zip) into a dataset's files.

A CSV or workbook named like a file of the contract (``claims.csv``, ``claims.xlsx``) is part of the dataset;
one with any other name is the analyst's own list, to be mapped to the contract (:mod:`claimscope.ingest.importer`).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from claimscope.ingest.dataset import MAX_FILE_BYTES
from claimscope.schema import FILES, FILES_BY_NAME, PACKAGE_FILE, SHEET_SUFFIX, TEXTS_FOLDER

#: the mapping an import writes beside its dataset (claimscope.ingest.importer.MAPPING_FILE)
MAPPING_FILE = "import-mapping.json"
#: the dataset's own file names: the contract's CSV files and their workbook twins
DATASET_NAMES = frozenset(FILES_BY_NAME) | {spec.stem + SHEET_SUFFIX for spec in FILES} | {PACKAGE_FILE}


@dataclass
class Uploads:
    """What the uploaded files are: the dataset's files, the analyst's own lists to map, a saved mapping."""

    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    to_map: list[tuple[str, bytes]] = field(default_factory=list)
    mapping: bytes | None = None


def sort_uploads(uploads: Iterable[tuple[str, bytes]]) -> Uploads:
    """Sort uploaded (name, bytes) pairs: dataset files (a zip unpacked), lists to map, a saved import mapping."""
    result = Uploads()
    for name, data in uploads:
        base = posixpath.basename(name.replace("\\", "/"))
        lowered = base.lower()
        if lowered == MAPPING_FILE:
            result.mapping = data
        elif lowered.endswith((".csv", SHEET_SUFFIX)) and base not in DATASET_NAMES:
            result.to_map.append((base, data))
        else:
            files, notes = dataset_files([(name, data)])
            result.files.update(files)
            result.notes.extend(notes)
    return result


MAX_ZIP_TOTAL_BYTES = 400 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000


def dataset_files(uploads: Iterable[tuple[str, bytes]]) -> tuple[dict[str, bytes], list[str]]:
    """``{dataset path: bytes}`` from uploaded (name, bytes) pairs, and a note for each file set aside.

    CSV files keep their contract names, ``.txt`` files go under ``texts/``, a ``.zip`` is unpacked
    (a dataset folder, at its root or one folder down) with its paths checked and its size bounded.
    """
    files: dict[str, bytes] = {}
    notes: list[str] = []
    for name, data in uploads:
        base = posixpath.basename(name.replace("\\", "/"))
        if base.lower().endswith(".zip"):
            unpacked, zip_notes = _unzip(base, data)
            files.update(unpacked)
            notes.extend(zip_notes)
        elif base in DATASET_NAMES:
            files[base] = data
        elif base.lower().endswith(".txt"):
            files[f"{TEXTS_FOLDER}/{base}"] = data
        else:
            notes.append(
                f"{base}: not a file of the data contract (claims.csv or claims.xlsx, actors.csv, …, datapackage.json, "
                "texts/*.txt, or a list of your own to map, .csv or .xlsx); set aside"
            )
    return files, notes


def _unzip(name: str, data: bytes) -> tuple[dict[str, bytes], list[str]]:
    files: dict[str, bytes] = {}
    notes: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return {}, [f"{name}: not a readable zip file"]
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        return {}, [f"{name}: {len(members)} files; the limit is {MAX_ZIP_MEMBERS}"]
    if sum(m.file_size for m in members) > MAX_ZIP_TOTAL_BYTES:
        return {}, [f"{name}: unpacks to more than {MAX_ZIP_TOTAL_BYTES:,} bytes; set aside"]
    prefix = _common_folder([m.filename for m in members])
    for member in members:
        path = member.filename[len(prefix) :]
        parts = path.split("/")
        if path.startswith("/") or ".." in parts or not path:
            notes.append(f"{name}: {member.filename!r} is outside the dataset folder; set aside")
            continue
        if member.file_size > MAX_FILE_BYTES:
            notes.append(f"{name}: {path} is larger than {MAX_FILE_BYTES:,} bytes; set aside")
            continue
        if path in DATASET_NAMES or (path.startswith(TEXTS_FOLDER + "/") and len(parts) >= 2):
            files[path] = archive.read(member)
        elif path == MAPPING_FILE:
            continue  # the mapping an import wrote beside the dataset: not data, and not needed to load it
        else:
            notes.append(f"{name}: {path} is not a file of the data contract; set aside")
    return files, notes


def _common_folder(paths: list[str]) -> str:
    """``folder/`` when every path of the zip is inside one top folder holding claims.csv."""
    if paths and all("/" in p for p in paths):
        top = {p.split("/", 1)[0] for p in paths}
        if len(top) == 1:
            return top.pop() + "/"
    return ""
