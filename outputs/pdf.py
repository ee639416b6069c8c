"""Convert a deck to PDF with LibreOffice (headless), and the PDF to page images.

Each conversion runs ``soffice`` with its own throw-away user profile
(``-env:UserInstallation=file:///tmp/...``), so conversions in parallel processes do
not fight over one profile's lock. The profile is seeded with the deck's locale
(da-DK or en-GB), because LibreOffice formats chart numbers in the profile's locale:
with da-DK a chart label reads "2,5", as it does in a Danish PowerPoint.

``pdftoppm -png -r 50`` (poppler) renders small page images for a quick look.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

#: Seconds one conversion may take before it is abandoned.
SOFFICE_TIMEOUT_S = 180
LOCALES = {"da": "da-DK", "en": "en-GB"}

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">
<value>false</value></prop></item>
</oor:items>
"""


class ConversionError(RuntimeError):
    """LibreOffice or pdftoppm failed, or is not installed."""


def soffice_binary() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(
        "LibreOffice (soffice) is not installed; run `make system-deps` "
        "(apt-get install libreoffice-impress poppler-utils fonts-dejavu)"
    )


def to_pdf(pptx: Path | str, outdir: Path | str | None = None, language: str = "da") -> Path:
    """Convert ``pptx`` to PDF in ``outdir`` (default: beside it); returns the PDF path."""
    pptx = Path(pptx).resolve()
    outdir = Path(outdir).resolve() if outdir else pptx.parent
    outdir.mkdir(parents=True, exist_ok=True)
    binary = soffice_binary()
    with tempfile.TemporaryDirectory(prefix="datadialog-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(
            _REGISTRY.format(locale=LOCALES.get(language, "da-DK")), encoding="utf-8"
        )
        cmd = [
            binary,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(pptx),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=SOFFICE_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"soffice took more than {SOFFICE_TIMEOUT_S} s") from exc
    pdf = outdir / (pptx.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        raise ConversionError(
            f"soffice failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}"
        )
    return pdf


def to_png_pages(pdf: Path | str, outdir: Path | str | None = None, dpi: int = 50) -> list[Path]:
    """Render every page of ``pdf`` to PNG (``<stem>-<n>.png``); returns the paths in order."""
    pdf = Path(pdf).resolve()
    outdir = Path(outdir).resolve() if outdir else pdf.parent
    outdir.mkdir(parents=True, exist_ok=True)
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise ConversionError("pdftoppm is not installed (apt-get install poppler-utils)")
    prefix = outdir / pdf.stem
    proc = subprocess.run([binary, "-png", "-r", str(dpi), str(pdf), str(prefix)],
                          capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S, check=False)
    if proc.returncode != 0:
        raise ConversionError(f"pdftoppm failed: {proc.stderr.strip()[-500:]}")
    pages = sorted(outdir.glob(f"{pdf.stem}-*.png"),
                   key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return pages
