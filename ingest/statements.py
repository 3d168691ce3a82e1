"""Statements: each sentence, list item or numbered priority of a document, labelled
`recommendation`, `problem` or `other`, with a confidence and the cue that decided it.

Plain data in (`passages.Doc`), plain data out (`Statement` list). The language
work is spaCy's (`nl` sentencizer, lookup lemmas, Matcher); the decisions are
rules over cues, and every statement keeps the cue that decided it, so a
reader can see why. The heading a statement stands under counts: a bullet under
"Knelpunten" leans to problem, one under "Aanbevelingen" or "Actieplan" to
recommendation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from beleidsbank.index.lexicon import PROBLEM_TERMS, imperative, infinitives

from .nlp import dutch, spans_of
from .passages import Doc

THRESHOLD = 0.5

# Headings that make the statements under them candidates of a kind (stems, folded)
REC_SECTION = re.compile(
    r"aanbevel|advie|adviez|actie|call to action|bouwsteen|prio|oproep|verzoek|vervolgstap|"
    r"oplossing|voorstel|maatregel|agenda|ambitie|aanpak|wat is nodig|wat moet|recommend", re.I)
PROB_SECTION = re.compile(
    r"knelpunt|uitdaging|probleem|problem|belemmering|barri|tekort|risico|zorg|oorza|"
    r"challenge|barrier|bottleneck|pijnpunt|obstakel", re.I)

BULLET = re.compile(r"^\s*(?:[•●▪■□◦○➢►▶✓✔\-–—*·]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s*")

PROBLEM_TERMS_EN = re.compile(r"\b(lack|lacking|barriers?|avoid|loss|shortages?|prevents?|decline|rigid|rigidity|gap|"
                              r"isolated|siloed|hurdles?)\b")
# problem nouns at the end of a compound: "lerarentekort", "taalachterstand", "personeelsprobleem"
COMPOUND_PROBLEM = re.compile(r"\b\w{3,}(tekort|tekorten|achterstand|knelpunt|knelpunten|probleem|problemen|krimp|uitval|mismatch)\b")
LAGGING = re.compile(r"\b(blijft|blijven|bleef|loopt|lopen)\b[^.;:]{0,100}\bachter\b")
DECLINE = re.compile(r"\b(gedaald|daalt|dalen|daling|afgenomen|neemt af|nam af|gezakt|slechts|minder dan|lager dan|"
                     r"teruggelopen|terugloop|krimpt|gekrompen)\b", re.I)
FIGURE = re.compile(r"\d+([.,]\d+)?\s*(%|procent)|\d{2,}")
# a share that leaves: "30% van de leerlingen ... stromen door naar niet-technische opleidingen"
LEAK = re.compile(r"\b(stromen|stroomt|stroomden|gaan|gaat|kiezen|kiest)\b.{0,60}\b(niet-\w+|af|uit|weg)\b"
                  r"|\b(verlaten|verlaat|stoppen|stopt|vallen uit|valt uit)\b")
# problem phrases beyond single words: a missing or wrong picture, closed doors, a growing gap
PROBLEM_PHRASES = re.compile(
    r"\b(geen|niet echt een|onvoldoende|onvolledig|onrealistisch|een vertekend) (\w+ )?beeld\b"
    r"|\bniet (\w+ ){0,2}open (staan|staat)\b|\bniet (\w+ ){0,2}openstaan\b|\bniet\b.{0,40}\b(staan|staat) (\w+ ){0,2}open\b"
    r"|\bbeperk(en|t|te) (de|het|hun|zijn)\b|\bminder goed\b|\bsteeds minder\b"
    r"|\b(sluit|sluiten)\b.{0,60}\bniet\b.{0,20}\baan\b|\bniet (meer )?aan (op|bij)\b"
    # a missing means: "Op dit moment zijn hier geen middelen voor", "er is geen volledig overzicht"
    r"|\b(is|zijn) (er |hier |daar |nog )*geen (\w+ ){0,2}(middelen|geld|budget|overzicht|zicht|capaciteit|tijd|"
    r"structuur|samenhang|regie|financiering|prikkels?)\b")

REMEDY = re.compile(
    r"\b(weg te nemen|aan te pakken|te voorkomen|te verminderen|tegen te gaan|terug te dringen|op te lossen|"
    r"te verkleinen|te doorbreken|het aanpakken van|het wegnemen van|het terugdringen van|het voorkomen van|"
    r"het tegengaan van)\b"
    # an outcome in which the problem shrinks: "Hierdoor verminderen drempels en groeit de instroom"
    r"|\b(verminderen|vermindert|verkleinen|verkleint|verdwijnen|verdwijnt|nemen af|neemt af)\s+(de |het )?"
    r"\w*(drempel|belemmering|tekort|knelpunt|barrière|achterstand)")
# a problem word as the topic of research, policy or action, not a claim that the problem is
# there: "knelpunten in beeld gebracht", "gekeken naar ... arbeidsmarkttekorten", "van
# knelpunten naar actie", "de knelpunten waar het Techniekpact zich op richt", "knelpuntbeleid"
TOPIC_OF = re.compile(
    r"\b(in (beeld|kaart) (gebracht|te brengen|brengen)|geanalyseerd|geïnventariseerd|"
    r"(gekeken|kijken|kijkt|keken) naar|\bworden\b.{0,60}\bgeïdentificeerd|(een )?(goed |beter )?(inzicht|overzicht) (in|van) (de |het )?(huidige )?(staat|stand)|"
    r"^(de )?stand van zaken|geen (\w+ )?(knelpunten|problemen|tekorten)\b.{0,60}\b(gedefinieerd|benoemd|geïdentificeerd|vastgesteld)|(richt|richten|richtte|richtten) zich (\w+ ){0,2}op|zich (\w+ ){0,2}op (richt|richten|richtte|richtten)|"
    r"oplossingsrichting\w*|oplossingen voor|van \w+ naar (actie|resultaat|oplossing)|\w+beleid|"
    # problems as the object of steering or the ground of goals: "de regie over regionale
    # knelpunten", "Vanuit deze knelpunten worden doelstellingen opgesteld", "de uitdagingen van de
    # geïdentificeerde regionale knelpunten gezamenlijk worden aangegaan"
    r"(regie|sturing|grip) (op|over) (de |het |deze )?(\w+ ){0,2}(knelpunt|probleem|problemen|uitdaging)\w*|"
    r"vanuit (de |deze |die )?(\w+ )?(knelpunt|probleem|problemen|uitdaging)\w*|"
    r"(geïdentificeerde|gesignaleerde|benoemde|genoemde) (\w+ )?(knelpunt|probleem|problemen|uitdaging)\w*|"
    r"(worden |wordt )?(gezamenlijk |samen )?(aangegaan|aan te gaan|het hoofd (te )?(bieden|geboden)))\b")
# problem cues that name a topic (and so can be one, or the thing to remove); the others
# ("onvoldoende", "moeilijk", "niet altijd", ...) claim something of the world
TOPIC_NOUNS = ("knelpunt", "tekort", "uitdaging", "probleem", "problemat", "belemmer", "risico", "versnipper",
               "stereotyp", "discriminatie", "drempel", "barrière", "achterstand", "mismatch", "kloof", "uitval",
               "afstroom", "gebrek")
# a question without its question mark (an interview guide's item cut off at a line end):
# "Wat zijn de belangrijkste uitdagingen waarmee u te maken heeft bij het bevorderen van de"
QUESTION_START = re.compile(r"^(wat|welke|hoe|waarom|wie|in hoeverre|op welke wijze)\s+(zijn|is|kunnen|kan|moet|"
                            r"moeten|worden|wordt|heeft|hebben|doet|doen|vindt|vinden|ziet|zien|ervaart|ervaren)\b", re.I)
# a source line, a note or the caption of a figure or table: "Bron: Bakens et al. (2019)"
# ("Figuur 2.10 illustreert de daling ..." is a sentence about a figure, and stays)
CAPTION = re.compile(r"^((?i:bron|bronnen|noot|source)\s*:|(?i:figuur|tabel|grafiek|box)\s+\d+(\.\d+)*:?\s+[A-Z(])")
MODAL_CUE = re.compile(r"(moet|moeten|dient|dienen|zou|zouden)\b")
REMEDY_ACTION = re.compile(r"\bhet (aanpakken|wegnemen|terugdringen|doorbreken) van\b")
SUGGESTION = re.compile(r"\b(kan|kunnen)\b.{0,80}\b(helpen|bijdragen|aanwakkeren|stimuleren|versterken|verbeteren)\b")
MONEY = re.compile(r"€\s?\d|\d+\s*(miljoen|mln|miljard)\b")

# descriptive contexts in which "moet/moeten" reports a rule or a past plan, not advice
DESCRIPTIVE = re.compile(
    r"\b(moest|moesten|sinds|volgens de wet|wettelijk|verplicht|al op \d|jarige leeftijd|destijds|"
    r"in \d{4}|hebben moeten|heeft moeten|moet je|moeten ze kiezen|moeten kiezen|al vroeg|moeten leiden tot|moet leiden tot)\b", re.I)
PRESCRIPTIVE_BOOST = re.compile(r"\b(worden|meer|beter|sterker|versterkt|verbeterd|structureel|blijven|gaan)\b", re.I)


@dataclass
class Statement:
    seq: int
    start: int                 # offsets in the document text
    end: int
    text: str
    page: int
    page_label: str
    section: str
    section_path: str
    kind: str                  # recommendation | problem | other
    confidence: float
    cue: str                   # what decided it, e.g. "gebiedende wijs: Verminder"
    unit: str                  # sentence | list_item | heading


# what follows a noun, not an imperative: "Bouw en Infrastructuur", "Rol van de overheid",
# "Snel veranderende technologie"
NOUN_NEXT = re.compile(r"^(en|van|binnen|&|-|–|\(|\w+ende)$")
# link text and page furniture: "Lees meer", "Klik hier", "Zie ook"
NAVIGATION = re.compile(r"^(lees|klik|zie|bekijk|download|ga)\s+(meer|hier|ook|verder|naar)\b", re.I)
# nouns that name a section of problems rather than state one ("2.1.1 Knelpunten", "The Perception Barrier")
SECTION_NOUN = re.compile(r"^(knelpunt|uitdaging|probleem|problem|barri|challenge|gap|krimp|hurdle|oorza)", re.I)


def _infinitive_start(first: str, second: str) -> bool:
    """Nominal action items: "Versterken van", "Het introduceren van", "Focussen op"."""
    return first.lower().endswith("en") and first.lower() in infinitives() and second.lower() in {
        "van", "op", "in", "met", "door", "voor", "we", "wij"}


def _names_topic(cue: str, low: str) -> bool:
    """Whether a problem cue names a topic: a problem noun, or "ondervertegenwoordigde" before
    a noun ("ondervertegenwoordigde groepen") rather than a claim ("zijn ondervertegenwoordigd")."""
    if cue.startswith(TOPIC_NOUNS) or COMPOUND_PROBLEM.fullmatch(cue):
        return True
    return cue == "ondervertegenwoordig" and "ondervertegenwoordigde " in low \
        and not re.search(r"\bondervertegenwoordigd\b", low)


def classify(text: str, doc, unit: str, section_path: str) -> tuple[str, float, str]:
    """(kind, confidence, cue) for one statement. `doc` is its spaCy Doc (lemmas)."""
    body = BULLET.sub("", text).strip()
    if CAPTION.match(body):
        return "other", 1.0, ""
    low = body.lower()
    tokens = [t for t in doc if not t.is_punct and not t.is_space and not BULLET.fullmatch(t.text)]
    # "9Zorg voor ..." (a glued priority number) and "Techniekonderwijs: Het introduceren ..." (a label)
    label = re.match(r"^[^:.!?]{2,40}:\s", body)
    if label and len(label.group(0).split()) <= 4:
        skip = len(label.group(0))
        tokens = [t for t in tokens if t.idx - (len(text) - len(text.lstrip())) >= skip - 1] or tokens
    if unit == "heading" and len(tokens) > 1 and re.fullmatch(r"\d{1,2}", tokens[0].text) \
            and tokens[1].text[:1].isupper():
        tokens = tokens[1:]          # a priority's number ("10 Stimuleer een leven lang ontwikkelen")
    first_text = re.sub(r"^\d+(?=[A-Z])", "", tokens[0].text) if tokens else ""
    rec: list[tuple[float, str]] = []
    prob: list[tuple[float, str]] = []
    leaf = section_path.rsplit(" > ", 1)[-1] if section_path else ""
    rec_ctx = bool(REC_SECTION.search(leaf))
    prob_ctx = bool(PROB_SECTION.search(leaf))
    rec_anc = not rec_ctx and bool(REC_SECTION.search(section_path))
    itemish = unit in ("list_item", "heading")

    if re.match(r"^(verzoek|advies|aanbeveling|oproep|voorstel)\s*:", low):
        rec.append((0.95, body.split(":")[0] + ":"))
    finite_next = len(tokens) > 1 and tokens[1].text.endswith("t") and tokens[1].lemma_.endswith("en") \
        and tokens[1].lemma_ != tokens[1].lower_      # "Onderzoek bevestigt ...": a subject, not an imperative
    # a fragment without a sentence end (a table cell, a column head) reads like a heading
    headlike = unit == "heading" or (unit == "sentence" and not re.search(r"[.!?:;)]\W*$", body))
    noun_next = len(tokens) > 1 and (bool(NOUN_NEXT.match(tokens[1].lower_))
                                     or (headlike and tokens[1].text[:1].isupper()))
    if len(tokens) > 1 and not finite_next and not noun_next and not NAVIGATION.match(body) \
            and imperative(first_text, tokens[0].lemma_ if first_text == tokens[0].text else first_text.lower()):
        rec.append((0.85 if itemish or len(tokens) < 40 else 0.7, f"gebiedende wijs: {first_text}"))
    lemmas = [t.lemma_.lower() for t in doc]
    if re.search(r"\broep(t|en)\b.*\bop\b|\boproep\b", low):
        rec.append((0.9, "roept … op"))
    m = re.search(r"\b(adviseren|adviseert|advies is|bevelen .* aan|beveelt .* aan|aanbeveling|pleit(en)? voor|"
                  r"stellen (wij |we )?voor|stelt voor|verdient aanbeveling|wij vragen|vragen wij|"
                  r"(moet|moeten|dient|dienen) (te )?(worden )?voorkomen (te )?(worden )?dat)\b", low)
    if m:
        rec.append((0.8, m.group(0)[:30]))
    m = re.search(r"\b(moet|moeten|dient|dienen|zou .{0,40}moeten|zouden .{0,40}moeten)\b", low)
    if m:
        score = 0.6 + (0.15 if PRESCRIPTIVE_BOOST.search(low) else 0.0)
        if DESCRIPTIVE.search(low):
            score -= 0.35
        if re.search(r"\b(dient|dienen) als\b", low):
            score -= 0.3      # "dient als": describes, does not advise
        rec.append((score, m.group(0)[:30]))
    m = re.search(r"\b(is|zijn|wordt|blijft|lijkt|lijken) (\w+ ){0,3}(nodig|noodzakelijk|essentieel|cruciaal|van (groot |cruciaal |essentieel )?belang|"
                  r"belangrijk|gewenst|wenselijk)(?=\s*(dat|om|voor|[,.;:]|$))"
                  r"|\b(het is|is het) (\w+ )?(belangrijk|noodzakelijk|nodig|essentieel|cruciaal|zaak) (dat|om)\b"
                  r"|\b(is|zijn) (een |het )?(sterkere|betere|grotere|nauwere|intensievere|meer|extra) .{0,100}\b"
                  r"(nodig|noodzakelijk|essentieel|cruciaal|van (groot )?belang|gewenst)\b"
                  r"|\bbehoefte aan\b|\brandvoorwaarde\b|\b(dit|dat|het|hiervoor|daarvoor|wat) vereist\b"
                  r"|\bvraagt (het )?om\b|\bvragen om\b|\b(benadrukt|benadrukken|onderstreept|onderstrepen) het belang\b"
                  r"|\b(kan|kunnen) .{0,40}(worden|zijn) (versterkt|ingezet|verbeterd|uitgebreid|vergroot|gestimuleerd|gecreëerd|versoepeld|vereenvoudigd|verkleind|versneld)\b"
                  r"|\b(kan|kunnen) .{0,40}(versterkt|ingezet|verbeterd|uitgebreid|vergroot|gestimuleerd|versoepeld|vereenvoudigd|verkleind|versneld) (worden|zijn)\b", low)
    if m:
        rec.append((0.65, m.group(0)[:30]))
    # "Het introduceren van techniek op basisscholen ..." advises; "Het verhogen van ... is een
    # complex vraagstuk" and "Investeren in professionals is daarmee ..." describe
    copula = not itemish and re.search(r"\b(is|zijn|was|waren|blijkt|lijkt|vormt|heeft)\b", low)
    if len(tokens) > 1 and tokens[0].text[:1].isupper() and _infinitive_start(tokens[0].text, tokens[1].text) \
            and not copula:
        rec.append((0.75 if itemish else 0.55, f"actiepunt: {tokens[0].text}"))
    elif len(tokens) > 2 and tokens[0].lower_ == "het" and _infinitive_start(tokens[1].text, tokens[2].text) \
            and not copula:
        rec.append((0.75 if itemish else 0.55, f"actiepunt: {tokens[1].text}"))

    # "probleemoplossend vermogen" is a skill, not a problem
    low_p = re.sub(r"\bprobleemoploss\w*|\bprobleemgestuurd\w*", " ", low)
    hits = [t.strip() for t in PROBLEM_TERMS if re.search(r"\b" + re.escape(t), low_p)]   # "vertrek " ends a word
    hits += [m.group(0) for m in COMPOUND_PROBLEM.finditer(low) if m.group(0) not in hits]
    hits += [m.group(0) for m in PROBLEM_TERMS_EN.finditer(low)] + [m.group(0)[:20] for m in LAGGING.finditer(low)]
    hits += [m.group(0)[:30] for m in PROBLEM_PHRASES.finditer(low)]
    lemma_hits = [t for t in ("knelpunt", "tekort", "belemmering", "uitdaging", "probleem", "gebrek", "daling")
                  if t in lemmas and t not in hits]
    hits += lemma_hits
    if hits:
        prob.append((min(0.9, 0.55 + 0.1 * len(hits)), hits[0]))
    if DECLINE.search(low) and FIGURE.search(low):
        prob.append((0.65, "daling in cijfers"))
    elif FIGURE.search(low) and LEAK.search(low):
        prob.append((0.6, "uitstroom in cijfers"))
    remedy = REMEDY.search(low)
    if remedy:
        m = REMEDY_ACTION.search(low)
        if m:
            rec.append((0.55, m.group(0)[:30]))
    m = SUGGESTION.search(low)
    if m:
        rec.append((0.55, m.group(0)[:30]))
    # the means to an end just set ("... moet populairder worden. Dit kan door inzet op ...")
    m = re.match(r"^(dit|dat|dat doel|dit doel) (kan|kunnen) (\w+ ){0,2}(door|via|middels) "
                 r"(inzet|het|te|middel|meer|extra|een|gerichte|structurele|gezamenlijke)\b", low)
    if m:
        rec.append((0.6, m.group(0).strip()[:30]))
    if re.match(r"^(en|én|maar ook|ook) om\b", low):
        rec.append((0.6, "vervolg: om"))
    if MONEY.search(low) and re.search(r"\b(reserveer|investeer|trek|maak|stel)\b|\b(wordt|worden|moet|moeten|zal|zullen|zou|zouden)\b"
                                       r".{0,80}\b(gereserveerd|geïnvesteerd|benut|uitgetrokken|vrijgemaakt|beschikbaar gesteld)", low):
        rec.append((0.6, "budgetvoorstel"))

    item_start = unit == "list_item" and bool(BULLET.match(text))
    if rec_ctx and item_start and not (hits and not rec):
        # the heading alone makes an item a recommendation, unless the item names a problem itself
        rec.append((0.7, "onder kop: " + section_path.rsplit(" > ", 1)[-1][:40]))
    if unit == "heading":
        # a heading does not stand under itself, and "Knelpunten" names a section of problems
        prob = [(x, c) for x, c in prob if not SECTION_NOUN.match(c)]
    elif prob_ctx and (itemish or prob):
        prob.append((0.7 if itemish else 0.75, "onder kop: " + section_path.rsplit(" > ", 1)[-1][:40]))
    if rec_ctx and rec:
        rec = [(min(0.97, s + 0.1), c) for s, c in rec]
    if rec_anc and rec:
        rec = [(min(0.97, s + 0.05), c) for s, c in rec]
    if prob_ctx and prob:
        prob = [(min(0.97, s + 0.1), c) for s, c in prob]

    # after the section context, which would otherwise lift them again:
    # a problem named as the thing to remove is a goal ("om stereotypering weg te nemen"), a
    # problem noun as the topic of research, policy or an action point claims nothing
    # ("knelpunten in beeld gebracht")
    topic_only = all(_names_topic(h, low) for h in hits) \
        and all(c in hits or c.startswith("onder kop") for _, c in prob)
    # "Het creëren van omgevingen voor ondervertegenwoordigde groepen", "Dat vraagt om regie over knelpunten"
    # (a modal "moet" is no such cue: "een stereotype dat het bedrijfsleven moet helpen doorbreken")
    action = any(x >= THRESHOLD and not MODAL_CUE.match(c) for x, c in rec)
    if (remedy or action or TOPIC_OF.search(low)) and topic_only:
        prob = [(x - 0.3, c) for x, c in prob]
    # a lead-in announces the problems of the list below it and states none itself:
    # "De geïdentificeerde systeemknelpunten betreffen:", "Specifieke uitdagingen met betrekking tot ...:"
    if unit != "list_item" and body.rstrip().endswith(":") and topic_only:
        prob = [(x - 0.4, c) for x, c in prob]
    if body.rstrip().endswith("?") or QUESTION_START.match(body) \
            or len(re.findall(r"https?://", body)) >= 1 and len(tokens) < 25:
        rec = [(x, c) for x, c in rec if x >= 0.9]           # questions and link lists advise nothing
        prob = [(x, c) for x, c in prob if x >= 0.9]         # nor do they claim a problem
    if unit == "heading" or len(tokens) < 4:
        rec = [(x, c) for x, c in rec if not c.startswith(("onder kop", "actiepunt"))]
    best_rec = max(rec, default=(0.0, ""))
    best_prob = max(prob, default=(0.0, ""))
    # both kinds of cue: an explicit directive wins, a mere modal or "important" loses to a problem word
    if best_rec[0] >= THRESHOLD and (best_rec[0] >= 0.8 or best_rec[0] > best_prob[0]):
        return "recommendation", round(best_rec[0], 2), best_rec[1]
    if best_prob[0] >= THRESHOLD:
        return "problem", round(best_prob[0], 2), best_prob[1]
    other = max(best_rec[0], best_prob[0])
    return "other", round(1.0 - other, 2), ""


LONG_ITEM = 15          # words; longer list items are cut into sentences
MARKER = re.compile(r"(?<=[\s.;])(Verzoek|Advies|Aanbeveling|Oproep|Voorstel)\s*:")


def _split_markers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a unit before an explicit marker ("... lerarentekort.4 Verzoek: neem ...")."""
    cuts = [start] + [m.start() for m in MARKER.finditer(text, start, end) if m.start() > start] + [end]
    return [(a, z) for a, z in zip(cuts, cuts[1:]) if text[a:z].strip()]


def extract(doc: Doc) -> list[Statement]:
    """All statements of a document, in reading order."""
    nlp = dutch(True)
    units: list[tuple[int, int, str, tuple[str, ...]]] = []
    prose = [(s, e, b) for s, e, b in doc.blocks if b.kind in ("paragraph", "footnote")]
    sents = {}
    for (s, e, b), parsed in zip(prose, nlp.pipe([doc.text[s:e] for s, e, b in prose], batch_size=128)):
        sents[s] = [(s + a, s + z) for a, z in spans_of(parsed)]
    items = [(s, e) for s, e, b in doc.blocks if b.kind == "list_item" and len(doc.text[s:e].split()) > LONG_ITEM]
    for (s, e), parsed in zip(items, nlp.pipe([doc.text[s:e] for s, e in items], batch_size=128)):
        sents[s] = [(s + a, s + z) for a, z in spans_of(parsed)]
    for s, e, b in doc.blocks:
        if b.kind == "footnote":
            continue
        if b.kind == "paragraph":
            for a, z in sents.get(s, [(s, e)]):
                units.extend((x, y, "sentence", b.section) for x, y in _split_markers(doc.text, a, z))
        elif b.kind == "heading":
            if len(doc.text[s:e].split()) >= 2:
                units.append((s, e, "heading", b.section))
        else:   # a list item is one unit; a long one with several sentences is cut into them
            parts = sents.get(s, [(s, e)])
            for a, z in parts:
                units.extend((x, y, "list_item", b.section) for x, y in _split_markers(doc.text, a, z))
    out: list[Statement] = []
    texts = [doc.text[a:z].strip() for a, z, _, _ in units]
    for (a, z, unit, section), text, parsed in zip(units, texts, nlp.pipe(texts, batch_size=256)):
        if len(text) < 8 or not re.search(r"[A-Za-zÀ-ÿ]{3}", text):
            continue
        # trim the unit to its stripped text so offsets point at it exactly
        a = a + (len(doc.text[a:z]) - len(doc.text[a:z].lstrip()))
        z = a + len(text)
        section_path = " > ".join(section)
        kind, conf, cue = classify(text, parsed, unit, section_path)
        page = doc.page_at(a)
        out.append(Statement(
            seq=len(out), start=a, end=z, text=text, page=page,
            page_label=doc.labels.get(page, str(page)), section=section[-1] if section else "",
            section_path=section_path, kind=kind, confidence=conf, cue=cue, unit=unit,
        ))
    return out
