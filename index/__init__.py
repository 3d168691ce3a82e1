"""Stage 2 of beleidsbank: the store (all SQL), embeddings, vector and lexical indexes, search, links and themes.

This folder installs as `beleidsbank.index`; it is not a top-level package.
"""

if __name__ != "beleidsbank.index":
    raise ImportError(f"'{__name__}' is not a package: import beleidsbank.index")
