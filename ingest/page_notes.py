"""The Dutch notes on pages of poor text quality: the ingest report, `beleidsbank documents`
and the Documenten page all name them in these words.

Here, not in ui/present.py, because the ingest report is written by the ingest stage, which
may not import the app's layer; present.py hands the same function to the CLI and the app.
"""

from __future__ import annotations

from collections.abc import Iterable


def page_warnings(pages: Iterable[tuple[int, bool, str, Iterable[str]]]) -> list[str]:
    """One note per run of consecutive pages with the same poor verdict ("matig", "slecht"),
    from (page number, read by OCR, quality, reasons) in page order; pages of quality "goed"
    get none. A scan of many bad pages is one note, not one per page."""
    runs: list[list] = []  # [first, last, ocr, quality, reasons]
    for number, ocr, quality, reasons in pages:
        if quality == "goed":
            continue
        reasons = tuple(reasons)
        last = runs[-1] if runs else None
        if last and last[1] == number - 1 and (last[2], last[3], last[4]) == (bool(ocr), quality, reasons):
            last[1] = number
        else:
            runs.append([number, number, bool(ocr), quality, reasons])
    return [_note(*run) for run in runs]


def _note(first: int, last: int, ocr: bool, quality: str, reasons: tuple[str, ...]) -> str:
    where = f"pagina {first}" if first == last else f"pagina's {first}-{last}"
    how = " (OCR)" if ocr else ""
    why = f": {'; '.join(reasons)}" if reasons else ""
    return f"{where}{how}: tekstkwaliteit {quality}{why}"
