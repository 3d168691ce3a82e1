"""The problem rules, and the adjustments and vetoes of cues, in the order the engine reads
them (see rules.py for what a rule is, statements.py for how they combine)."""

from __future__ import annotations

import re

from .rules import (
    ADJUST,
    COMPOUND_PROBLEM,
    LIST_ITEM,
    PROB,
    REMEDY,
    SENTENCE,
    THRESHOLD,
    Context,
    Evidence,
    Example,
    Parsed,
    Rule,
    other,
    prob,
    rec,
)

DECLINE = re.compile(
    r"\b(gedaald|daalt|dalen|daling|afgenomen|neemt af|nam af|gezakt|slechts|minder dan|lager dan|"
    r"teruggelopen|terugloop|krimpt|gekrompen)\b",
    re.I,
)
FIGURE = re.compile(r"\d+([.,]\d+)?\s*(%|procent)|\d{2,}")
# a cue of a modal verb: it does not make a problem noun the object of an action
MODAL_CUE = re.compile(r"(moet|moeten|dient|dienen|zou|zouden)\b")


def _under_heading(p: Parsed, ev: Evidence) -> str:
    return "onder kop: " + p.leaf[:40]


def _problem_under_heading(p: Parsed, ev: Evidence) -> str | None:
    """A statement with a problem cue of its own (read after the other cues)."""
    return _under_heading(p, ev) if ev.prob else None


def _action(p: Parsed, ev: Evidence) -> str | None:
    """A recommendation cue of weight that is not a mere modal (read after the section boosts)."""
    return "" if any(x >= THRESHOLD and not MODAL_CUE.match(c) for x, c in ev.rec) else None


PROBLEM_RULES = (
    # "probleemoplossend vermogen" is a skill, not a problem; "vertrek " is the noun, not "vertrekken vanuit"
    Rule(
        "problem_words",
        PROB,
        0.1,
        lexicon="problem_terms",
        pooled=True,
        cue_len=None,
        ignore=re.compile(r"\bprobleemoploss\w*|\bprobleemgestuurd\w*"),
        examples=(
            prob("Talent gaat niet verloren door gebrek aan capaciteit, maar door belemmeringen in de onderwijsketen."),
            prob("Het vertrek van sleutelfiguren legt projecten stil."),
            prob("Veel jongeren en hun ouders hebben een verouderd beeld van de technische sector."),
        ),
        misses=(
            Example("Vroege kennismaking helpt kinderen om probleemoplossende vaardigheden te ontwikkelen."),
            Example("Hierdoor vertrekken de activiteiten vanuit één samenwerkingsverband."),
        ),
    ),
    Rule(
        "problem_compound",
        PROB,
        0.1,
        COMPOUND_PROBLEM,
        pooled=True,
        new_only=True,
        cue_len=None,
        examples=(prob("Het lerarentekort in de technische vakken is het grootst in de Randstad."),),
    ),
    Rule(
        "problem_words_en",
        PROB,
        0.1,
        re.compile(
            r"\b(lack|lacking|barriers?|avoid|loss|shortages?|prevents?|decline|rigid|rigidity|gap|"
            r"isolated|siloed|hurdles?|failed|fails|failure|violations?|breach(es)?)\b"
        ),
        pooled=True,
        cue_len=None,
        examples=(
            prob("Many students, especially girls, avoid tech because they perceive it as lacking human connection."),
        ),
    ),
    # lagging, with the subject between verb and particle
    Rule(
        "lagging",
        PROB,
        0.1,
        re.compile(r"\b(blijft|blijven|bleef|loopt|lopen)\b[^.;:]{0,100}\bachter\b"),
        pooled=True,
        cue_len=20,
        examples=(
            prob("Daarnaast blijft de investering in om- en bijscholing van werkenden in het mkb achter bij de vraag."),
        ),
    ),
    # problems beyond single words: a missing or wrong picture, closed doors, a growing gap, a missing means
    Rule(
        "problem_phrases",
        PROB,
        0.1,
        re.compile(
            r"\b(geen|niet echt een|onvoldoende|onvolledig|onrealistisch|een vertekend) (\w+ )?beeld\b"
            r"|\bniet (\w+ ){0,2}open (staan|staat)\b|\bniet (\w+ ){0,2}openstaan\b"
            r"|\bniet\b.{0,40}\b(staan|staat) (\w+ ){0,2}open\b"
            r"|\bbeperk(en|t|te) (de|het|hun|zijn)\b|\bminder goed\b|\bsteeds minder\b"
            r"|\b(sluit|sluiten)\b.{0,60}\bniet\b.{0,20}\baan\b|\bniet (meer )?aan (op|bij)\b"
            r"|\b(is|zijn) (er |hier |daar |nog )*geen (\w+ ){0,2}"
            r"(middelen|geld|budget|overzicht|zicht|capaciteit|tijd|structuur|samenhang|regie|financiering|prikkels?)\b"
            # a quality that is missing: "niet vindbaar", "niet specifiek genoeg", "Niet duidelijk is welke"
            # (not the writer's uncertainty: "het is (nog) niet duidelijk of ...")
            r"|(?<!\bhet is )(?<!\bis het )(?<!\bnog )\bniet (\w+ ){0,2}"
            r"(duidelijk|vindbaar|specifiek|toegankelijk|transparant|inzichtelijk|helder|"
            r"bruikbaar|herbruikbaar|proportioneel|uitvoerbaar|toereikend)\b"
            # what an advice or a review did not find: "Uit de toelichting blijkt niet dat ..."
            r"|\b(blijkt|bleek|blijken|bleken) (\w+ )?niet\b"
        ),
        pooled=True,
        cue_len=30,
        examples=(
            prob("Ouders hebben vaak geen goed beeld van de banen in de zorg."),
            prob("Niet alle werkgevers staan even open voor zij-instromers."),
            prob("Hoge huren beperken de instroom van jonge docenten in de stad."),
            prob("Op dit moment zijn hier geen middelen voor, waardoor de uitvoering stokt."),
            prob("Veel rapporten zijn voor burgers niet goed vindbaar op de websites van gemeenten."),
            prob("Uit de evaluatie blijkt niet dat de regeling het beoogde effect heeft."),
        ),
        misses=(
            Example("Er is geen twijfel dat de regio's het pact steunen."),
            Example("Het is nog niet duidelijk of de nieuwe aanpak op termijn effect heeft."),
        ),
    ),
    # problem nouns whose surface form the word list misses ("problemen", "belemmeringen")
    Rule(
        "problem_lemmas",
        PROB,
        0.1,
        lexicon="problem_lemmas",
        on="lemmas",
        pooled=True,
        new_only=True,
        examples=(prob("Scholen kampen met grote problemen bij het vinden van personeel."),),
    ),
    # a motion states the situation it wants changed in its "constaterende dat" clauses
    Rule(
        "motion_finding",
        PROB,
        0.6,
        re.compile(r"^constaterende,? dat\b"),
        anchored=True,
        cue="constaterende dat",
        examples=(prob("constaterende dat steeds meer gemeenten de bijzondere bijstand beperken;"),),
    ),
    # the concern in the preamble of a resolution in English: "Deploring the fact that ...",
    # "Gravely concerned by ...", "Condemning ..."
    Rule(
        "preamble_concern_en",
        PROB,
        0.7,
        re.compile(
            r"^(deplor\w*|condemn\w*|(gravely |deeply |seriously )?concerned|expressing (its )?(grave |deep )?concern|"
            r"alarmed|regretting|noting with (grave |deep )?concern)\b"
        ),
        anchored=True,
        examples=(prob("Deploring the continued absence of any reports from the parties,"),),
    ),
    Rule(
        "decline_in_figures",
        PROB,
        0.65,
        DECLINE,
        requires=FIGURE,
        cue="daling in cijfers",
        examples=(prob("Het aandeel meisjes in technische opleidingen is gedaald van 18 naar 15 procent."),),
    ),
    # a share that leaves: "30% van de leerlingen ... stromen door naar niet-technische opleidingen"
    Rule(
        "outflow_in_figures",
        PROB,
        0.6,
        re.compile(
            r"\b(stromen|stroomt|stroomden|gaan|gaat|kiezen|kiest)\b.{0,60}\b(niet-\w+|af|uit|weg)\b"
            r"|\b(verlaten|verlaat|stoppen|stopt|vallen uit|valt uit)\b"
        ),
        requires=FIGURE,
        unless=DECLINE,
        cue="uitstroom in cijfers",
        examples=(
            prob("Ruim 40% van de studenten die met een lerarenopleiding beginnen, stroomt binnen twee jaar uit."),
        ),
    ),
    # under "Knelpunten" an item is a problem, and so is a sentence with a problem cue of its own
    Rule(
        "under_problem_heading",
        PROB,
        0.7,
        test=_under_heading,
        context=Context(LIST_ITEM, section=PROB),
        examples=(
            prob("• Praktijklokalen zijn verouderd en duur", "list_item", "3 Analyse > Knelpunten"),
            prob("• Stageplaatsen in de regio", "list_item", "2 Analyse > Uitdagingen"),
        ),
    ),
    Rule(
        "problem_under_problem_heading",
        PROB,
        0.75,
        test=_problem_under_heading,
        context=Context(SENTENCE, section=PROB),
        examples=(prob("Er zijn te weinig stageplaatsen in de regio.", "sentence", "3 Analyse > Knelpunten"),),
    ),
)

ADJUSTMENT_RULES = (
    Rule(
        "prescriptive",
        ADJUST,
        0.15,
        re.compile(r"\b(worden|meer|beter|sterker|versterkt|verbeterd|structureel|blijven|gaan)\b", re.I),
        target="modal",
        examples=(rec("Het bereik van de voorlichting moet worden verbeterd."),),
    ),
    # "moet" that reports a rule or a past plan, not advice
    Rule(
        "descriptive",
        ADJUST,
        -0.35,
        re.compile(
            r"\b(moest|moesten|sinds|volgens de wet|wettelijk|verplicht|al op \d|jarige leeftijd|destijds|"
            r"in \d{4}|hebben moeten|heeft moeten|moet je|moeten ze kiezen|moeten kiezen|al vroeg|moeten leiden tot|"
            r"moet leiden tot|op grond van|ingevolge|krachtens|(aangemerkt|beschouwd|gekwalificeerd) als"
            r")\b",
            re.I,
        ),
        target="modal",
        examples=(
            other(
                "In het Nederlandse onderwijsstelsel moeten leerlingen al op 12-jarige leeftijd een richting kiezen."
            ),
            # what a law requires, or how it qualifies something
            other("Op grond van de Woo moet een besluit binnen vier weken na de aanvraag genomen zijn."),
            other("Een lening tegen een te lage rente moet worden aangemerkt als een subsidie."),
        ),
    ),
    Rule(
        "serves_as",
        ADJUST,
        -0.3,
        re.compile(r"\b(dient|dienen) als\b"),
        target="modal",
        examples=(other("De regiegroep dient als platform voor overleg tussen de partners."),),
    ),
    # where every problem cue names a topic (see statements._topic_penalties): a problem named
    # as the thing to remove is a goal ("om stereotypering weg te nemen") ...
    Rule(
        "remedy",
        ADJUST,
        -0.3,
        REMEDY,
        target=PROB,
        examples=(
            other("Hierdoor verminderen drempels en groeit de instroom in technisch onderwijs."),
            other("Onderdeel hiervan is het tegengaan van discriminatie aan de poort."),
        ),
        misses=(Example("Aandacht vragen blijkt niet altijd voldoende om knelpunten weg te nemen."),),
    ),
    # ... a problem noun as the topic of research, policy or action claims nothing ("knelpunten in
    # beeld gebracht", "van knelpunten naar actie", "knelpuntbeleid"), nor as the object of steering
    # or the ground of goals ("de regie over regionale knelpunten", "Vanuit deze knelpunten ...")
    Rule(
        "topic_of",
        ADJUST,
        -0.3,
        re.compile(
            r"\b(in (beeld|kaart) (gebracht|te brengen|brengen)|geanalyseerd|geïnventariseerd|"
            r"(gekeken|kijken|kijkt|keken) naar|\bworden\b.{0,60}\bgeïdentificeerd|"
            r"(een )?(goed |beter )?(inzicht|overzicht) (in|van) (de |het )?(huidige )?(staat|stand)|"
            r"^(de )?stand van zaken|"
            r"geen (\w+ )?(knelpunten|problemen|tekorten)\b.{0,60}\b(gedefinieerd|benoemd|geïdentificeerd|vastgesteld)|"
            r"(richt|richten|richtte|richtten) zich (\w+ ){0,2}op|zich (\w+ ){0,2}op (richt|richten|richtte|richtten)|"
            r"oplossingsrichting\w*|oplossingen voor|van \w+ naar (actie|resultaat|oplossing)|\w+beleid|"
            r"(regie|sturing|grip) (op|over) (de |het |deze )?(\w+ ){0,2}(knelpunt|probleem|problemen|uitdaging)\w*|"
            r"vanuit (de |deze |die )?(\w+ )?(knelpunt|probleem|problemen|uitdaging)\w*|"
            r"(geïdentificeerde|gesignaleerde|benoemde|genoemde) (\w+ )?(knelpunt|probleem|problemen|uitdaging)\w*|"
            r"(worden |wordt )?(gezamenlijk |samen )?(aangegaan|aan te gaan|het hoofd (te )?(bieden|geboden))|"
            # the definition of a scheme names the problems it is for ("... is een regeling voor ... met schulden")
            r"(is|was|zijn|waren) een (\w+ ){0,2}(regeling|noodregeling|voorziening|vangnet|fonds|uitkering))\b"
        ),
        target=PROB,
        examples=(
            other("Voor het in beeld brengen van de knelpunten zijn interviews gehouden met werkgevers."),
            other("De Vlaamse overheid besloot dat een gericht knelpuntbeleid nodig was."),
            other("Vanuit deze knelpunten worden doelstellingen opgesteld met daaraan verbonden indicatoren."),
            other("De Tijdelijke regeling is een noodregeling voor huurders met betalingsproblemen."),
        ),
        misses=(Example("De genoemde knelpunten zijn nog onvoldoende opgelost."),),
    ),
    # ... nor as the object of an action point ("Het creëren van omgevingen voor ondervertegenwoordigde
    # groepen"); a modal is no such action ("een stereotype dat het bedrijfsleven moet helpen doorbreken")
    Rule(
        "action_on_problem",
        ADJUST,
        -0.3,
        test=_action,
        target=PROB,
        examples=(
            rec(
                "Leeromgevingen: Het creëren van inclusieve omgevingen die ondervertegenwoordigde groepen ondersteunen."
            ),
        ),
        misses=(Example("Dit beeld is een hardnekkig stereotype dat het bedrijfsleven moet helpen doorbreken."),),
    ),
    # a lead-in announces the problems of the list below it and states none itself:
    # "De geïdentificeerde systeemknelpunten betreffen:"
    Rule(
        "lead_in",
        ADJUST,
        -0.4,
        re.compile(r":\s*$"),
        on="body",
        target=PROB,
        context=Context(frozenset({"sentence", "heading"})),
        examples=(other("Specifieke uitdagingen met betrekking tot de instroom:"),),
    ),
)

# the adjustments of problem cues that name a topic: they apply once together, however many fire
TOPIC_RULES = ("remedy", "topic_of", "action_on_problem")
