"""The vetoes of cues, and the adjustments of all cues of a kind by the clause a statement is:
the labels, formulas and furniture of letters, e-mails, motions, question-and-answer documents and
tables, which look like advice or problems and are neither (see rules.py for what a rule is,
statements.py for how they combine)."""

from __future__ import annotations

import re

from .rules import ADJUST, LABEL_CODE, LABEL_NOUNS, REC, VETO, Context, Evidence, Example, Parsed, Rule, other, prob


def _labels_only(p: Parsed, ev: Evidence) -> str | None:
    """A unit of labels and numbers alone ("Antwoord 6", "Artikel 10.2.e", "10.2.a; 10.2.e; 11.1"),
    or a label of at most three words before a colon ("Reactie:", "Aanbeveling:")."""
    words = [t.text.lower().strip(".") for t in p.tokens]
    if words and all(w in LABEL_NOUNS or LABEL_CODE.match(w) or len(w) < 2 for w in words):
        return "label"
    return "label" if len(words) <= 3 and p.body.rstrip().endswith(":") else None


# rules that adjust all cues of a kind where they fire (after the section boosts)
CONTEXT_ADJUSTMENT_RULES = (
    # the clauses of a motion before its request state grounds, not the request: "constaterende dat",
    # "overwegende dat", "van mening dat" (the request is "verzoekt de regering ...")
    Rule(
        "motion_grounds",
        ADJUST,
        -0.5,
        re.compile(r"^(constaterende|overwegende|van mening|in aanmerking nemende|gelet op),? (dat|de|het)\b"),
        anchored=True,
        target=REC,
        examples=(
            other("overwegende dat gemeenten meer ruimte moeten krijgen voor maatwerk;"),
            prob("constaterende dat de wachtlijsten in de jeugdzorg moeten worden teruggedrongen;"),
        ),
    ),
)

VETO_RULES = (
    # labels and numbers alone: answer and question labels, article numbers and lists of them
    Rule(
        "labels_only",
        VETO,
        1.0,
        test=_labels_only,
        examples=(
            other("Vraag 12"),
            other("• Artikel 5.1.2.e", "list_item"),
            other("5.1.2.e; 5.1.2.i; 5.2", "sentence"),
            other("Reactie:"),
        ),
        misses=(Example("Stap 2: Breng de gegevens in kaart"),),
    ),
    # salutations, closings and signatures of letters and e-mails
    Rule(
        "salutation",
        VETO,
        1.0,
        re.compile(
            r"^(hoogachtend|met (vriendelijke|hartelijke|collegiale|beste) groet(en)?|(vriendelijke |hartelijke )?"
            r"groet(en|jes)?\b|geachte\b|dear\b|yours (sincerely|faithfully|truly)|(kind|best) regards|"
            r"\(signed\)|(w\.)?g\. )"
        ),
        anchored=True,
        context=Context(max_tokens=12),
        examples=(
            other("Hoogachtend,"),
            other("Met vriendelijke groet,"),
            other("Yours sincerely,"),
            other("Geachte voorzitter,"),
        ),
    ),
    # the header lines of an e-mail ("Van:", "Verzonden:", "Onderwerp:", "Sent:", "Subject:")
    Rule(
        "mail_header",
        VETO,
        1.0,
        re.compile(r"^(van|aan|cc|bcc|onderwerp|verzonden|datum|from|to|sent|received|subject|date)\s*:"),
        anchored=True,
        context=Context(max_tokens=25),
        examples=(other("Sent: Mon 3/8/2021 9:12:44 AM"), other("Onderwerp: RE: verzoek om advies over de regeling")),
    ),
    # the fixed formulas of a motion around its clauses
    Rule(
        "motion_formula",
        VETO,
        1.0,
        re.compile(r"^((de kamer|de raad),?\s*)?(gehoord de beraadslaging|(en )?gaat over tot de orde van de dag)"),
        anchored=True,
        examples=(other("gehoord de beraadslaging,"), other("en gaat over tot de orde van de dag.")),
    ),
    # a hypothetical or a condition, not an imperative: "Stel dat ...", "Stel een gemeente wil ...",
    # "Wilt u bezwaar maken, dan ..."
    Rule(
        "hypothetical",
        VETO,
        0.9,
        re.compile(
            r"^(stel|veronderstel|neem aan|zeg)( nu| eens)?,? (dat|we|wij|ik|ze|zij|hij|er)\b"
            r"|^stel je (eens )?voor\b"
            r"|^stel (een|de|het|die|deze) (\w+ ){1,2}(wil|wilt|willen|kan|kunnen|moet|moeten|heeft|hebben|is|gaat|"
            r"wordt|zou|vraagt|krijgt)\b"
            # a condition by inversion: "Wilt u bezwaar maken, dan moet ..."
            r"|^(wilt|wil|kunt|bent|heeft|hebt|mocht|mochten) (u|je|jij)\b[^.?!]{0,120}, dan\b"
        ),
        anchored=True,
        examples=(
            other("Stel een gemeente wil de gegevens van een aanvrager delen met een zorgverzekeraar."),
            other("Stel dat de minister de regeling intrekt, dan vervalt de subsidie."),
            other("Wilt u in beroep gaan, dan moet u dat binnen zes weken na dit besluit doen."),
        ),
        misses=(Example("Stel een regionale regiegroep in die de aanpak coördineert."),),
    ),
    # a source line, a note or the caption of a figure or table: "Bron: Bakens et al. (2019)"
    # ("Figuur 2.10 illustreert de daling ..." is a sentence about a figure, and stays)
    Rule(
        "caption",
        VETO,
        1.0,
        re.compile(r"^((?i:bron|bronnen|noot|source)\s*:|(?i:figuur|tabel|grafiek|box)\s+\d+(\.\d+)*:?\s+[A-Z(])"),
        on="body",
        anchored=True,
        examples=(
            other("Bron: Bakens et al. (2019), Bijlsma et al. (2015)"),
            other(
                "Figuur 2.10 Aantal ingeschreven studenten in de opleiding tot technisch onderwijzend "
                "personeel daalt vanaf 2014"
            ),
        ),
        misses=(
            Example("Figuur 2.10 illustreert de daling in de instroom van docenten in het technisch beroepsonderwijs."),
        ),
    ),
    # questions and link lists advise nothing and claim no problem
    Rule(
        "question",
        VETO,
        0.9,
        re.compile(r"\?\s*$"),
        on="body",
        examples=(
            other("Wat zijn de belangrijkste uitdagingen bij het verbeteren van de doorstroom?"),
            other("Welke oplossingsrichtingen voor de tekorten ziet u voor het bedrijfsleven?"),
        ),
    ),
    # a question cut off before its question mark (an interview guide's item at a line end)
    Rule(
        "question_without_mark",
        VETO,
        0.9,
        re.compile(
            r"^(wat|welke|hoe|waarom|wie|in hoeverre|op welke wijze)\s+(zijn|is|kunnen|kan|moet|"
            r"moeten|worden|wordt|heeft|hebben|doet|doen|vindt|vinden|ziet|zien|ervaart|ervaren)\b",
            re.I,
        ),
        on="body",
        anchored=True,
        examples=(
            other("Wat zijn de belangrijkste uitdagingen waarmee u te maken heeft bij het werven van de", "list_item"),
        ),
    ),
    Rule(
        "link_list",
        VETO,
        0.9,
        re.compile(r"https?://"),
        on="body",
        context=Context(max_tokens=24),
        examples=(other("Versterk de regionale aanpak, zie https://www.techniekpact.nl/regio"),),
    ),
)
