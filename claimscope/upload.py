"""Turning an analyst's uploaded files (CSV, text, datapackage.json, or one zip) into a dataset's files."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterable

from claimscope.dataset import MAX_FILE_BYTES
from claimscope.schema import FILES_BY_NAME, PACKAGE_FILE, TEXTS_FOLDER

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
        elif base in FILES_BY_NAME or base == PACKAGE_FILE:
            files[base] = data
        elif base.lower().endswith(".txt"):
            files[f"{TEXTS_FOLDER}/{base}"] = data
        else:
            notes.append(
                f"{base}: not a file of the data contract (claims.csv, actors.csv, …, datapackage.json, texts/*.txt); set aside"
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
        if path in FILES_BY_NAME or path == PACKAGE_FILE or (path.startswith(TEXTS_FOLDER + "/") and len(parts) >= 2):
            files[path] = archive.read(member)
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
