"""Presentation helpers that shape what a user reads (ui/present.py)."""

from __future__ import annotations

from beleidsbank.ui.present import list_item


def test_list_item_leaves_off_the_documents_own_list_mark():
    assert list_item("- Vergroot de instroom.") == "Vergroot de instroom."
    assert list_item("•  Zorg voor stageplaatsen.") == "Zorg voor stageplaatsen."
    # a hyphen that belongs to the text, and numbering that carries meaning, stay
    assert list_item("-5% minder uitval") == "-5% minder uitval"
    assert list_item("3. Investeer in docenten.") == "3. Investeer in docenten."
    assert list_item("") == ""
