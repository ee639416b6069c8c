"""Low-level helpers for writing Office files, shared by the renderers.

Every string written into a deck or workbook passes through :func:`safe_text`, which
masks CPR numbers: the decks are built from pseudonymised marts, and this is the last
line of defence. :func:`scrub_creation_ids` removes PowerPoint's CPR-shaped random ids,
and :func:`part_number` names the parts this project adds to a package (charts, notes).

A package is written with every zip member dated :data:`ZIP_TIME` (:func:`zip_member`,
:func:`save_package`), so the same deck specification gives the same bytes whenever it
is rendered: delivery decides "already sent" on the decks' checksums.
"""

from __future__ import annotations

import weakref
import zipfile
from pathlib import Path

from pptx.dml.color import RGBColor
from pptx.opc.serialized import PackageWriter

from datadialog.privacy import mask_text

#: Namespace declarations for a ``p:`` shape or part written as one XML string.
NSDECLS = ('xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def safe_text(text: str) -> str:
    """``text`` with any CPR number masked."""
    return mask_text(text) if text else ""


def rgb(hex_colour: str) -> RGBColor:
    """python-pptx colour of a hex ``RRGGBB`` string (see :mod:`outputs.style`)."""
    return RGBColor.from_string(hex_colour)


def scrub_creation_ids(prs) -> None:
    """Renumber PowerPoint's random ``p14:creationId`` values (10-digit numbers that can look
    like a CPR number) to plain counters, so no CPR-shaped string is anywhere in the file."""
    counter = 1_000_000_000  # "10000000xx": month 00, never a CPR date
    elements = []
    for master in prs.slide_masters:
        elements.append(master._element)
        elements += [layout._element for layout in master.slide_layouts]
    elements += [slide._element for slide in prs.slides]
    for root in elements:
        for el in root.iter("{*}creationId"):
            counter += 1
            el.set("val", str(counter))


#: Per package and kind: the next free number of the parts this project names itself.
_COUNTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: Part names by kind; the ``dd`` stems never clash with python-pptx's own names
#: (``chart3.xml``, ``notesSlide3.xml``), whichever of the two adds a part first.
PART_STEMS = {"chart": "/ppt/charts/ddchart", "notes": "/ppt/notesSlides/ddnotes"}


def part_number(package, kind: str) -> int:
    """The next free number for a part name of ``kind`` (see :data:`PART_STEMS`).

    python-pptx finds a free part name by walking every part of the package, once per
    new part (slow once a deck has a hundred parts). Here the walk happens once per
    package and kind; later numbers come from a counter.
    """
    counters = _COUNTERS.setdefault(package, {})
    n = counters.get(kind)
    if n is None:
        stem = PART_STEMS[kind]
        used = [p.partname.idx for p in package.iter_parts() if str(p.partname).startswith(stem)]
        n = max([i for i in used if i is not None], default=0) + 1
    counters[kind] = n + 1
    return n


#: Date and time of every member of a zip package this project writes (the earliest
#: a zip can hold): a file's bytes then depend on its content only.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def zip_member(name: str, compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip member called ``name`` dated :data:`ZIP_TIME`."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compress_type
    info.external_attr = 0o644 << 16
    return info


#: Members stored as they are: already compressed images, which deflating only slows.
STORED_SUFFIXES = (".png", ".jpeg", ".jpg", ".gif")


class _Members:
    """Where python-pptx's package writer puts each member: the zip being written, each
    member dated :data:`ZIP_TIME`, deflated once (images stored)."""

    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive

    def write(self, pack_uri, blob: bytes) -> None:
        name = pack_uri.membername
        stored = name.lower().endswith(STORED_SUFFIXES)
        self._archive.writestr(
            zip_member(name, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED), blob)


class _PackageWriter(PackageWriter):
    """python-pptx's package writer (content types, package relationships, each part and
    its relationships, in its order) into :class:`_Members` instead of its own zip, which
    deflates every member with the time of writing: re-dating that zip meant inflating
    and deflating every member a second time (about 20 ms of a 40-50 ms save)."""

    def __init__(self, members: _Members, package):
        super().__init__("", package._rels, tuple(package.iter_parts()))
        self._members = members

    def _write(self) -> None:
        self._write_content_types_stream(self._members)
        self._write_pkg_rels(self._members)
        self._write_parts(self._members)


def save_package(prs, path: Path) -> Path:
    """Write the presentation ``prs`` to ``path`` as python-pptx's ``save`` would, every
    member dated :data:`ZIP_TIME` (the caller writes ``path`` beside the final file and
    renames it: ``datadialog.atomic_write.replacing``)."""
    with zipfile.ZipFile(path, "w") as archive:
        _PackageWriter(_Members(archive), prs.part.package)._write()
    return path
