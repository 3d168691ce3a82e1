"""Stage 4 of beleidsbank: the Streamlit app (one module per page), exports and the Dutch presentation.

This folder installs as `beleidsbank.ui`; it is not a top-level package.
"""

if __name__ != "beleidsbank.ui":
    raise ImportError(f"'{__name__}' is not a package: import beleidsbank.ui")
