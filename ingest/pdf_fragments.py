"""Positioned text fragments of a pypdf page, one per shown string, for the line reader
(pdf_reader): x, baseline, font size and the x where the string ends."""

from __future__ import annotations


def _advancing_state():
    """pypdf's text state manager, except that showing a string moves the text matrix past
    it, as the PDF text model does. pypdf's layout machinery leaves the matrix where the
    string started, so a show operation that follows another without a positioning operator
    (kerned text typeset as runs of Tj/TJ) is placed over its predecessor: the line then
    sorts its pieces out of order ("eht" for "het") or loses the gap of a word space."""
    from pypdf._text_extraction._layout_mode._text_state_manager import TextStateManager

    class AdvancingState(TextStateManager):
        def text_state_params(self, value=""):
            params = super().text_state_params(value)
            if value:
                self.add_trm(params.displacement_matrix())
                # pypdf moves on after a kerning number in a TJ array by the preceding
                # string's width plus the number; the width is already applied above
                params.value, params._raw_chars = "", ""
            return params

    return AdvancingState()


def fragments(page) -> list[dict]:
    """Positioned text fragments, one per shown string.

    Uses pypdf's layout-mode text state machinery (which knows font widths,
    so each fragment's end x is exact) but keeps each string apart.
    """
    from pypdf._text_extraction._layout_mode import _fixed_width_page as fw
    from pypdf.generic import ArrayObject, ContentStream, StreamObject

    contents = page.get("/Contents")
    if contents is None:
        return []
    contents = contents.get_object()
    if not isinstance(contents, (ArrayObject, StreamObject)):
        return []
    fonts = page._layout_mode_fonts()
    ops = iter(ContentStream(contents, page.pdf, "bytes").operations)
    state = _advancing_state()
    tjs = []
    for operands, op in ops:
        if op in (b"BT", b"q"):
            _, new = fw.recurse_to_target_op(ops, state, b"ET" if op == b"BT" else b"Q", fonts, True)
            tjs.extend(new)
        elif op == b"Tf":
            fw.set_font_operation(state, fonts, operands)
        else:
            state.set_state_param(op, operands)
    out = []
    for tj in tjs:
        if tj.rotated or not tj.text.strip():
            continue
        flip = -1 if tj.flip_vertical else 1
        height = abs(tj.font_height) or abs(tj.font_size)
        out.append(
            {
                "tx": tj.tx,
                "ty": tj.ty,
                "font_size": height,
                "font_height": height,
                "text": tj.text,
                "displaced_tx": tj.displaced_tx,
                "flip_sort": flip,
            }
        )
    return out
