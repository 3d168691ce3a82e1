"""Dutch messages of the theme commands (beleidsbank theme list|rename|merge|split)."""

from __future__ import annotations


def unknown_theme(theme_id) -> str:
    return f"Thema {theme_id} bestaat niet. Zie beleidsbank theme list voor de thema's."


def theme_renamed(old: str, new: str) -> str:
    return f"Thema '{old}' heet nu '{new}'. Dat blijft zo na een nieuwe ingest."


def themes_merged(labels: list[str], into: str) -> str:
    return f"Thema's {', '.join(repr(x) for x in labels)} zijn samengevoegd tot '{into}'."


def theme_split(old: str, new: str, n: int) -> str:
    return f"Thema '{old}' is gesplitst: {n} uitspraken vormen het nieuwe thema '{new}'."


THEME_SPLIT_TOO_SMALL = "Dit thema heeft te weinig uitspraken om te splitsen (minstens 4)."
THEME_MERGE_NEEDS_TWO = "Geef minstens twee verschillende thema's om samen te voegen."
THEME_LABEL_EMPTY = "Een themanaam mag niet leeg zijn."
THEME_OVERIG_FIXED = (
    "Thema 'overig' bevat wat bij geen ander thema past; het kan niet worden hernoemd, samengevoegd of gesplitst."
)


def theme_line(theme_id: int, label: str, size: int, parent: str | None = None) -> str:
    under = f" (onder '{parent}')" if parent else ""
    return f"{theme_id:>4}  {label}{under}  [{size} uitspraken]"
