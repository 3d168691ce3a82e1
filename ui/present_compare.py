"""Dutch wording of the source comparison (beleidsbank compare, the Bronnen vergelijken page and
its Word and Excel exports), beside ui/present.py (which holds the wording of the other surfaces
and is near its size limit). Plain functions over plain values."""

from __future__ import annotations

from beleidsbank.ui.present import NO_YEAR, statement_citation

OTHER_THEME = "overig"  # the row of statements that fit no theme
DIFFERENCE_LABELS = {"opposite": "tegengesteld advies", "different": "ander advies"}
GAP_LABELS = {"silent_source": "bron zwijgt", "unaddressed_problem": "probleem zonder advies"}
PARTS = {
    "statements": "Uitspraken per bron",
    "agreements": "Overeenstemming",
    "gaps": "Leemtes",
    "differences": "Verschillen",
}
ALL_ADDRESSEES = "iedereen (geen filter)"
ADDRESSEE_PICKER = "Aan wie is het advies gericht?"
THEME_PICKER = "Thema bekijken"
DOWNLOAD_WORD = "Vergelijking downloaden (Word)"
DOWNLOAD_EXCEL = "Vergelijking downloaden (Excel)"
NOTHING_ON_THEME = "Niets over dit thema."
NO_AGREEMENT = "Geen aanbevelingen die in twee of meer bronnen hetzelfde zeggen."
NO_THEMES = "Nog geen thema's: de index bevat geen aanbevelingen of problemen (aan deze partij)."
COMPARING = "Vergelijken…"


def more(n: int) -> str:
    return f"Nog {n} tonen"


MATRIX_COLUMNS = ("Thema", "Bron", "Aandeel", "Aanbevelingen", "Problemen")
STATEMENT_COLUMNS = (
    "Thema",
    "Onderdeel",
    "Groep",
    "Bron",
    "Pagina",
    "Sectie",
    "Soort",
    "Citaat",
    "Wie",
    "Document",
    "Id",
)


def theme_label(label: str | None, parent: int | None = None) -> str:
    """A theme's label; a sub-theme's marked as one."""
    return ("↳ " if parent is not None else "") + (label or OTHER_THEME)


def share(value: float) -> str:
    """A share as a percentage, Dutch style: '12%', '0,5%'."""
    pct = 100 * value
    return (f"{pct:.0f}" if pct >= 1 or pct == 0 else f"{pct:.1f}".replace(".", ",")) + "%"


def cell(counts: dict) -> str:
    """One theme x source cell of the terminal's matrix: '12% (6/1)'."""
    return f"{share(counts['share'])} ({counts['recommendations']}/{counts['problems']})"


def hover(theme: str, source: str, counts: dict) -> str:
    return (
        f"{theme} · {source}: {counts['recommendations']} aanbevelingen, {counts['problems']} problemen "
        f"({share(counts['share'])} van de uitspraken van deze bron)"
    )


def matrix_heading(n_themes: int, n_sources: int, addressee: str | None = None) -> str:
    what = f"aanbevelingen aan {addressee}" if addressee else "aanbevelingen en problemen"
    return (
        f"{n_themes} thema's, {n_sources} bronnen. Per vak: het aandeel van de {what} van die bron dat over "
        "het thema gaat (aanbevelingen/problemen)."
    )


def heatmap_caption(addressee: str | None = None) -> str:
    who = f" (alleen aanbevelingen aan {addressee})" if addressee else ""
    return (
        "Welk deel van de aanbevelingen en problemen van elke bron over elk thema gaat" + who + "; hoe "
        "donkerder het vak, hoe groter het aandeel. Wijs een vak aan voor de aantallen."
    )


def silent(source: str, others: list[str]) -> str:
    return f"{source} zegt niets over dit thema; wel: {', '.join(others)}."


def unaddressed(source: str) -> str:
    return f"Probleem in {source} waarop geen enkele bron een aanbeveling geeft:"


def difference_heading(kind: str, n_sources: int, cues: list[str]) -> str:
    how = f" (tegenstelling: {', '.join(cues)})" if cues else ""
    return f"{DIFFERENCE_LABELS.get(kind, kind).capitalize()} van {n_sources} bronnen op dit probleem{how}:"


def agreement_heading(n: int, n_sources: int) -> str:
    return f"Groep {n}: zelfde advies in {n_sources} bronnen"


def cite(item: dict, short: dict[str, str]) -> str:
    """'Masterplan, p. 12, § 3.1' for a cited statement of the comparison."""
    return statement_citation(
        short.get(item["doc_id"], item.get("short") or item["doc_id"]), item["page_label"], item["section"]
    )


def addressed(item: dict) -> str:
    return f"aan: {', '.join(item['addressees'])}" if item.get("addressees") else ""


def unknown_addressee(name: str, labels: list[str]) -> str:
    return f"Onbekende geadresseerde '{name}'. Kies uit: {', '.join(labels)}."


def embedding_note(n: int) -> str:
    return f"De aanbevelingen worden eenmalig ingebed om overeenstemming te vinden ({n})…"


def ungrouped_note(n: int) -> str:
    return f"{n} aanbevelingen zijn nog niet ingebed en tellen niet mee in de overeenstemming."


def bad_export(name: str) -> str:
    return f"Kan niet exporteren naar '{name}': kies een bestandsnaam op .docx of .xlsx."


def export_failed(name: str, exc: Exception) -> str:
    return f"Het bestand '{name}' kon niet worden geschreven: {exc}."


def source_name(src: dict) -> str:
    """'NAE (2026), NAE-standpunt' for a source of the comparison."""
    return f"{src.get('publisher') or src['id']} ({src.get('year') or NO_YEAR}), {src.get('short') or src['id']}"
