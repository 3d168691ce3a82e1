"""Dutch wording shared by the CLI, the app and the exports: labels, messages, citations, escaping.

Each phrase a user reads is written here once, so the terminal, the web app and the exported
files say the same thing the same way. Plain functions over plain values: no Streamlit, no
store access. The surfaces differ where they always did (a terminal shows short progress
labels, the app longer ones; an exported citation is a reference-list entry, a result card's
citation names the short title), and each such form has its own name here.
"""

from __future__ import annotations

import re

# the ingest report's notes on poor pages, handed on to the CLI and the app (explicit re-export)
from beleidsbank.ingest.page_notes import page_warnings as page_warnings

NO_YEAR = "z.j."  # "zonder jaar": the year of an undated source in a citation

KIND_LABELS = {"recommendation": "aanbeveling", "problem": "probleem"}
# an exported item can also be a plain passage; an unclassified statement gets no label
EXPORT_KIND_LABELS = {**KIND_LABELS, "other": "", "passage": "passage"}

MODE_LABELS = {"hybrid": "hybride (aanbevolen)", "dense": "betekenis", "lexical": "woorden"}

# ingest stages as the progress callback names them: short for the terminal's bars, fuller in the app
STAGE_LABELS = {
    "parse": "PDF's lezen",
    "ocr": "Tekstherkenning (OCR)",
    "embed": "Embedden",
    "index": "Index bouwen",
    "lock": "Wachten op een andere schrijfactie",
}
STAGE_LABELS_APP = {
    "lock": "Wachten op een andere schrijfactie in deze datamap (seconden)",
    "parse": "PDF's lezen",
    "ocr": "Tekstherkenning (OCR) van gescande pagina's",
    "embed": "Passages inbedden (betekenis)",
    "index": "Index bijwerken",
}

HOW_TO_ADD_APP = "pagina Documenten toevoegen, of beleidsbank ingest"

# control characters (ESC starts a terminal escape) and the bidi embeddings, overrides and
# isolates that reorder what a terminal or page shows
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\r\u2028\u2029\x85]")
_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


# -- escaping ----------------------------------------------------------------------


def safe(text: str) -> str:
    """Document text for a terminal: no control or escape characters."""
    return _CONTROL.sub(" ", text or "")


# the list mark a PDF set before an item ("- ", "• "): left off where we draw our own
_LIST_MARK = re.compile(r"^\s*[•●▪■□◦○➢►▶✓✔\-–—*·]\s+")


def list_item(text: str) -> str:
    """A statement as an item of a list we draw: without the document's own list mark, so the
    line does not read "- - Vergroot ..."."""
    return _LIST_MARK.sub("", text or "", count=1)


def safe_name(text: str) -> str:
    """A file or document name for one line of a terminal: `safe`, and line breaks as spaces."""
    return _LINE_BREAKS.sub(" ", safe(text))


def plain(text) -> str:
    """Text for a message that renders Markdown (st.error, st.warning, st.caption): every Markdown
    sign is escaped, so a file name or a message that quotes a file cannot format or link anything."""
    return _MARKDOWN_SIGNS.sub(r"\\\1", str(text))


# -- labels --------------------------------------------------------------------------


def kind_label(kind: str) -> str:
    """'aanbeveling' or 'probleem'; empty for any other kind."""
    return KIND_LABELS.get(kind, "")


def export_kind_label(kind: str, default: str | None = None) -> str:
    """The kind as an exported file names it; an unknown kind is `default` (the kind itself when None)."""
    return EXPORT_KIND_LABELS.get(kind, kind if default is None else default)


def scope_label(scope: str) -> str:
    """Where a linked problem stands relative to its recommendation."""
    return "zelfde document" if scope == "same-doc" else "ander document"


def stage_label(stage: str, app: bool = False) -> str:
    return (STAGE_LABELS_APP if app else STAGE_LABELS).get(stage, stage)


def waiting_for_writer(wait: float) -> str:
    """The line shown once when an ingest waits for another writer of its data directory."""
    return (
        f"wacht op een andere schrijfactie (ingest, verwijdering of correctie) in deze datamap; "
        f"hoogstens {wait:.0f} s (BELEIDSBANK_LOCK_WAIT) …"
    )


def progress_text(stage: str, done: int, total: int, detail: str = "") -> str:
    """The app's progress line for an ingest stage."""
    return f"{stage_label(stage, app=True)}: {done} van {total}" + (f" · {detail}" if detail else "")


def theme_names(themes) -> dict[int, str]:
    """Theme id -> label for (id, label) pairs, numbered where two themes carry the same label
    (a chart axis merges equal labels)."""
    names, seen = {}, {}
    for theme_id, label in themes:
        seen[label] = seen.get(label, 0) + 1
        names[theme_id] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return names


# -- complete word search (beleidsbank find, "Alle vermeldingen") ----------------------------

SEARCH_MODE_LABELS = {"meaning": "Zoeken op betekenis", "mentions": "Alle vermeldingen"}
FIND_SYNTAX_HELP = (
    'Woorden: leraren tekort (beide). Zinsnede: "tekort aan leraren". Begin of eind van een woord: '
    "leraar*, *tekort. "
    "Combineren: EN/AND, OF/OR, NIET/NOT (in hoofdletters) en haakjes. "
    "Hoofdletters, accenten en koppeltekens tellen niet: zij-instroom vindt ook zijinstroom en zij instroom."
)


def find_summary(passages: int, occurrences: int, documents: int, took: float | None = None) -> str:
    """The count line of a word search: '12 passages met 15 vermeldingen in 3 documenten (0,02 s)'."""
    if passages == 0:
        line = "Geen passage bevat deze zoekopdracht"
    else:
        line = (
            f"{passages} {'passage' if passages == 1 else 'passages'} met {occurrences} "
            f"{'vermelding' if occurrences == 1 else 'vermeldingen'} in {documents} "
            f"{'document' if documents == 1 else 'documenten'}"
        )
    took_text = f" ({took:.2f} s)".replace(".", ",") if took is not None else ""  # Dutch decimal comma
    return line + took_text + "."


def find_per_document(name: str, n: int) -> str:
    return f"{name}: {n} {'passage' if n == 1 else 'passages'}"


def no_mention_in(names: list[str]) -> str:
    """The line naming the documents without a match."""
    return f"Geen vermelding in: {', '.join(names)}."


# -- citations ---------------------------------------------------------------------------


OCR_MARK = "(OCR)"  # after the page of a citation whose text was read by OCR


def page_cite(page, ocr: bool = False) -> str:
    """The page of a citation: "p. 3", or "p. 3 (OCR)" when its text was read by OCR, so a reader
    knows the quoted words may differ from the page."""
    return f"p. {page}" + (f" {OCR_MARK}" if ocr else "")


def hit_citation(hit) -> str:
    """A search result's citation: publisher (year), short title, page, section."""
    page = page_cite(hit.page_label or hit.page, getattr(hit, "ocr", False))
    section = f", § {hit.section}" if hit.section else ""
    return f"{hit.publisher or hit.title} ({hit.year or NO_YEAR}), {hit.short}, {page}{section}"


def export_citation(item: dict) -> str:
    """An exported item's citation, as in a reference list: publisher (year). Title, page, section."""
    year = item.get("year") or NO_YEAR
    page = page_cite(item.get("page_label") or item.get("page") or "", bool(item.get("ocr")))
    section = f", {item['section']}" if item.get("section") else ""
    return f"{item.get('publisher') or item.get('title', '')} ({year}). {item.get('title', '')}, {page}{section}."


def passage_citation(p) -> str:
    """A stored passage's place in its document (`beleidsbank passages`): id, pages, section."""
    pages = f"{p.page}-{p.page_end}" if p.page_end > p.page else str(p.page)
    label = f" (paginanummer {p.page_label})" if p.page_label and p.page_label != str(p.page) else ""
    section = f", § {p.section}" if p.section else ""
    return f"{p.id}: {page_cite(pages, p.ocr)}{label}{section}"


def quality_label(quality: str) -> str:
    """A text-quality verdict as a user reads it."""
    return f"tekstkwaliteit {quality}"


def statement_citation(source: str, page_label: str, section: str = "") -> str:
    """A statement's short citation in the app: source (short title or document id), page, section."""
    return f"{source}, p. {page_label}" + (f", § {section}" if section else "")


# -- link evidence -----------------------------------------------------------------------------


def evidence_parts(evidence, word_sep: str = " ", theme: bool = True) -> list[str]:
    """Why a problem is linked to a recommendation, one phrase per piece of evidence present.

    The terminal lists the shared words separated by spaces and says when the theme is the same;
    the app separates the words by commas and leaves the theme out."""
    parts = [f"betekenis {evidence.meaning:.2f}"]
    if evidence.shared_words:
        parts.append("woorden: " + word_sep.join(evidence.shared_words))
    if theme and evidence.same_theme:
        parts.append("zelfde thema")
    if evidence.section:
        parts.append(f"zelfde sectie: {evidence.section}")
    if evidence.repeats:
        parts.append("staat ook op p. " + ", ".join(page for _, page in evidence.repeats))
    return parts


# -- metadata corrections --------------------------------------------------------------------

META_LABELS = {"title": "titel", "publisher": "uitgever", "year": "jaar", "kind": "soort"}


def parse_year(text) -> int | None:
    """A corrected year as typed: None when left empty; ValueError (Dutch) when not a year."""
    text = str(text or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text) or not 1000 <= int(text) <= 2999:
        raise ValueError(f"'{text}' is geen jaartal; geef vier cijfers, bijvoorbeeld 2024.")
    return int(text)


def meta_changes(old, new) -> str:
    """What a correction changed, for a confirmation: "titel: 'A' -> 'B'; jaar: 2020 -> 2021"."""
    parts = [
        f"{label}: {getattr(old, f) or '-'} -> {getattr(new, f) or '-'}"
        for f, label in META_LABELS.items()
        if getattr(old, f) != getattr(new, f)
    ]
    return "; ".join(parts) or "geen wijzigingen"


def unknown_document(doc_id: str) -> str:
    return f"document '{doc_id}' staat niet in de index."


# -- messages --------------------------------------------------------------------------------


def no_index_app() -> str:
    """The store's "no index yet" message (NoIndexError, which the CLI prints) as the app says it:
    without the folder, and naming the app's page for adding documents beside the command."""
    from beleidsbank.index.store import NoIndexError  # here: the CLI imports this module at start

    return str(NoIndexError(how=HOW_TO_ADD_APP))


def model_error(exc: Exception) -> str:
    """The app's message when the language model cannot be loaded (Markdown-escaped)."""
    return (
        f"Het taalmodel is niet beschikbaar, dus zoeken op betekenis kan nu niet ({plain(exc)}). "
        "Installeer het model met `beleidsbank model`, of zoek met de zoekmodus 'woorden'."
    )


# -- the advice answer (the app's first page) ---------------------------------------------------

INTENT_LABELS = {"advice": "adviesvraag", "problem": "vraag naar knelpunten", "fact": "feitvraag"}
# the answer's views: the intent it follows, or the one the user picks
ANSWER_VIEW_LABELS = {"advice": "Adviezen per bron", "problem": "Knelpunten per bron", "passages": "Passages"}
LANGUAGE_LABELS = {"nl": "Nederlands", "en": "Engels"}


def same_statement_label(n_sources: int, kind: str = "recommendation") -> str:
    """The mark of a group: 'zelfde advies in 3 bronnen'."""
    what = "knelpunt" if kind == "problem" else "advies"
    return f"zelfde {what} in {n_sources} bronnen"


def nothing_found_in(sources: list[str], kind: str = "recommendation") -> str:
    """The line naming the sources without an answer."""
    what = "knelpunten" if kind == "problem" else "advies"
    return f"Geen {what} hierover gevonden in: {', '.join(sources)}."


def seconds(s: float) -> str:
    """A duration as a Dutch reader writes it: '0,42 s'."""
    return f"{s:.2f}".replace(".", ",") + " s"


def result_count(n: int, took: float, what: str = "resultaten") -> str:
    """A result list's count and how long it took: '10 resultaten (0,42 s)'."""
    return f"{n} {what} ({seconds(took)})"


def answer_failed(exc: Exception) -> str:
    """The app's message when an advice answer could not be made (no traceback for users)."""
    return (
        f"Het advies kon niet worden samengesteld ({type(exc).__name__}: {str(exc)[:200]}). "
        "De passages zijn wel te doorzoeken op de pagina Zoeken."
    )


def advice_heading(kind: str, n_items: int, n_sources: int) -> str:
    """The first line of an advice answer in the terminal: how much was found, in how many sources."""
    if kind == "problem":
        what = "knelpunt" if n_items == 1 else "knelpunten"
    else:
        what = "aanbeveling" if n_items == 1 else "aanbevelingen"
    return f"{n_items} {what} uit {n_sources} {'bron' if n_sources == 1 else 'bronnen'}"


# -- reviews (index/store_reviews.py): a user's verdict on a link, a label or a search result
REVIEW_KIND_LABELS = {"link": "koppeling", "label": "label", "result": "zoekresultaat"}
REVIEW_LABELS = {"recommendation": "aanbeveling", "problem": "probleem", "neither": "geen van beide"}
VERDICT_MARKS = {"confirmed": "✓ bevestigd", "rejected": "✗ afgewezen"}
RESULT_VERDICT_BUTTONS = ("Relevant", "Niet relevant")  # a search result answers the question, or not
# what a user may type for a verdict (Dutch and English) -> the stored verdict
VERDICT_WORDS = {
    "bevestig": "confirmed",
    "bevestigd": "confirmed",
    "ja": "confirmed",
    "goed": "confirmed",
    "confirm": "confirmed",
    "verwerp": "rejected",
    "afgewezen": "rejected",
    "wijs af": "rejected",
    "nee": "rejected",
    "fout": "rejected",
    "reject": "rejected",
}


def verdict_of(word: str) -> str | None:
    """The stored verdict a typed word means; None for a word that is no verdict."""
    return VERDICT_WORDS.get(" ".join(str(word).lower().split()))


def bad_verdict(word: str) -> str:
    return f"Onbekend oordeel '{safe(word)}': gebruik bevestig (ja) of verwerp (nee)."


def unknown_statement(statement_id: str, kind: str | None = None) -> str:
    what = KIND_LABELS.get(kind or "", "uitspraak")
    return f"Geen {what} met id '{safe(statement_id)}' in de index (zie beleidsbank statements)."


def unknown_passage(passage_id: str) -> str:
    return f"Geen passage met id '{safe(passage_id)}' in de index (zie beleidsbank search --json)."


def review_saved(kind: str, verdict: str) -> str:
    return f"Oordeel over {REVIEW_KIND_LABELS.get(kind, kind)} opgeslagen: {VERDICT_MARKS.get(verdict, verdict)}."


def hidden_rejected(n: int) -> str:
    return f"{n} afgewezen koppeling{'en' if n != 1 else ''} verborgen."


def model_unavailable(reason: str) -> str:
    """The embedding model cannot be loaded or built (no access to its folder, a broken file)."""
    folder = "ermission" in reason or "Cannot create" in reason
    why = "de modelmap kan niet worden gelezen of aangemaakt" if folder else "het modelbestand is beschadigd"
    return (
        f"het taalmodel kan niet worden geladen of gebouwd ({why}). Voer 'beleidsbank model' uit, of zet "
        "BELEIDSBANK_MODEL_CACHE op een map waarin u mag lezen en schrijven."
    )


# -- the app's login, roles and shared export lists --------------------------------------------

LOGIN_FAILED = "Naam of wachtwoord onjuist."
ROLE_LABELS = {"reader": "lezer", "editor": "redacteur", "admin": "beheerder"}
SHARE_MODE_LABELS = {"read": "alleen lezen", "edit": "lezen en wijzigen"}
NOT_ALLOWED = "Uw rol ({role}) mag dit niet; vraag een beheerder."


def logged_in_as(name: str, role: str) -> str:
    return f"Ingelogd als {name} ({role})"


def not_allowed(role: str) -> str:
    return NOT_ALLOWED.format(role=ROLE_LABELS.get(role, role))


def list_read_only() -> str:
    return "Deze exportlijst is met u gedeeld om te lezen; u kunt hem niet wijzigen. Kies of maak een eigen lijst."


def list_choice_label(n: int, owner: str | None, mode: str, size: int) -> str:
    """A list in the choice of lists: the user's own numbered, a shared one by its owner."""
    items = f"{size} item{'s' if size != 1 else ''}"
    if owner is None:
        return f"Eigen lijst {n} ({items})"
    return f"Lijst van {owner} ({items}, {SHARE_MODE_LABELS.get(mode, mode)})"
