"""Test PDFs whose text layer is hard to read faithfully (issue 14, "text you can trust").

Each maker writes raw content streams with pypdf, so the exact show operators are under the
test's control: strings split over several Tj/TJ operations with kerning between them (the
way typesetting software writes kerned text), word spaces made by positioning instead of
space characters, a font whose ToUnicode map sends a glyph to Unicode's private-use area, and
ligature glyphs. Module constants hold the text a faithful extractor must return.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

SIZE = 11.0
# Sentences in the body font; the scrambled and glued makers draw them piece by piece.
KERNED = [
    "Zo wordt het toepassingsbereik van de handelsverplichting duidelijk afgebakend.",
    "Dit geldt anders dan hun buiten de Unie gevestigde concurrenten voor alle aanbieders.",
    "De gemeente legt de afspraken over het toezicht vast in een convenant met de partners.",
]
GLUED = [
    "De Minister van Volksgezondheid, Welzijn en Sport stuurt de brief aan de Kamer.",
    "Het kabinet wil de regels voor de zorg eenvoudiger maken voor patiënten en artsen.",
    "Wij vragen de provincie om de resultaten van de evaluatie openbaar te maken.",
]
# A font that maps the glyph for "f" to U+E01E in its ToUnicode map; its /Differences name the glyph "f".
PUA_LINES = [
    "Het is fijn dat de financiering van het effectieve beleid is geregeld.",
    "De officiële cijfers laten zien dat de situatie in de regio flink is verbeterd.",
]
PUA_CODE = "\ue01e"
LIGATURE_LINES = ["De financiële afspraken worden officieel vastgelegd in de overeenkomst."]


def _helvetica() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _write(path: Path, pages: list[bytes], fonts: dict[str, DictionaryObject]) -> Path:
    """One page per content stream, with `fonts` as the page's font resources."""
    writer = PdfWriter()
    for content in pages:
        page = writer.add_blank_page(595, 842)
        refs = DictionaryObject({NameObject(k): writer._add_object(v) for k, v in fonts.items()})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): refs})
        stream = DecodedStreamObject()
        stream.set_data(content)
        page[NameObject("/Contents")] = writer._add_object(stream)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _esc(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _kerned_ops(line: str) -> bytes:
    """A line as many show operations without positioning between them: a TJ array per few
    letters, kerning numbers between the pieces, the next array continuing where the text
    matrix stands after the previous one (PDF semantics), the way kerned text is typeset."""
    ops, i, step = [], 0, 0
    while i < len(line):
        n = 2 + step % 3
        piece = line[i : i + n]
        cut = max(1, len(piece) // 2)
        ops.append(b"[(" + _esc(piece[:cut]) + b") -15 (" + _esc(piece[cut:]) + b")] TJ")
        i, step = i + n, step + 1
    return b"\n".join(ops)


def kerned_pdf(path: Path) -> Path:
    """Body lines drawn as runs of kerned TJ arrays (no Td between them)."""
    body = [b"BT /F1 11 Tf"]
    for k, line in enumerate(KERNED):
        body.append(b"1 0 0 1 72 %d Tm" % (760 - 16 * k))
        body.append(_kerned_ops(line))
    body.append(b"ET")
    return _write(path, [b"\n".join(body)], {"/F1": _helvetica()})


def glued_pdf(path: Path) -> Path:
    """Body lines without space characters: each word is a string of its own and the word
    space is a kerning number in the TJ array, or the next word continues after a Tj."""
    body = [b"BT /F1 11 Tf"]
    for k, line in enumerate(GLUED):
        body.append(b"1 0 0 1 72 %d Tm" % (760 - 16 * k))
        words = line.split(" ")
        if k % 2 == 0:  # one TJ array, word spaces as kerning
            body.append(b"[" + b" -278 ".join(b"(" + _esc(w) + b")" for w in words) + b"] TJ")
        else:  # one Tj per word, the space a kerning number in front of the next word
            body.append(b"(" + _esc(words[0]) + b") Tj")
            body += [b"[-278 (" + _esc(w) + b")] TJ" for w in words[1:]]
    body.append(b"ET")
    return _write(path, [b"\n".join(body)], {"/F1": _helvetica()})


def _tounicode(pairs: dict[int, str]) -> DecodedStreamObject:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CMapName /BB-PUA def /CMapType 2 def",
        "1 begincodespacerange <00> <FF> endcodespacerange",
        f"{len(pairs)} beginbfchar",
    ]
    lines += [f"<{code:02X}> <{ord(ch):04X}>" for code, ch in sorted(pairs.items())]
    lines += ["endbfchar", "endcmap CMapName currentdict /CMap defineresource pop end end"]
    stream = DecodedStreamObject()
    stream.set_data("\n".join(lines).encode("ascii"))
    return stream


def _mapped_font(special: dict[int, tuple[str, str]]) -> DictionaryObject:
    """Helvetica with WinAnsi codes, except the codes in `special`: code -> (glyph name, the
    Unicode text its ToUnicode entry gives). Printable ASCII maps to itself."""
    pairs = {c: chr(c) for c in range(32, 127)}
    pairs |= {0xEB: "ë", 0xE9: "é", 0xEF: "ï"}
    pairs |= {code: uni for code, (_, uni) in special.items()}
    diffs = ArrayObject()
    for code, (glyph, _) in sorted(special.items()):
        diffs += [NumberObject(code), NameObject("/" + glyph)]
    font = _helvetica()
    font[NameObject("/Encoding")] = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Encoding"),
            NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
            NameObject("/Differences"): diffs,
        }
    )
    font[NameObject("/ToUnicode")] = _tounicode(pairs)
    return font


def _coded(line: str, codes: dict[str, int]) -> bytes:
    out = b""
    for ch in line:
        out += bytes([codes[ch]]) if ch in codes else _esc(ch)
    return out


def _lines_pdf(path: Path, lines: list[bytes], font: DictionaryObject) -> Path:
    body = [b"BT /F1 11 Tf"]
    for k, line in enumerate(lines):
        body.append(b"1 0 0 1 72 %d Tm (" % (760 - 16 * k) + line + b") Tj")
    body.append(b"ET")
    return _write(path, [b"\n".join(body)], {"/F1": font})


def pua_pdf(path: Path) -> Path:
    """The letter f drawn with code 1, whose glyph is named /f but whose ToUnicode entry is U+E01E."""
    font = _mapped_font({1: ("f", PUA_CODE)})
    return _lines_pdf(path, [_coded(line, {"f": 1}) for line in PUA_LINES], font)


def ligature_pdf(path: Path) -> Path:
    """ "fi" drawn as one ligature glyph (/fi), mapped to U+FB01 by its ToUnicode entry."""
    font = _mapped_font({2: ("fi", "\ufb01")})
    lines = [line.replace("fi", "\x00") for line in LIGATURE_LINES]
    return _lines_pdf(path, [_coded(line, {"\x00": 2}) for line in lines], font)


def unmappable_pua_pdf(path: Path) -> Path:
    """PUA code points whose glyphs have no usable name (/g17): nothing can repair them."""
    font = _mapped_font({1: ("g17", PUA_CODE)})
    return _lines_pdf(path, [_coded(line, {"f": 1}) for line in PUA_LINES], font)
