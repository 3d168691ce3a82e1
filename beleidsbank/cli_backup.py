"""`beleidsbank backup DEST`: a consistent copy of the data directory, also while the app, the
API or an ingest is running (beleidsbank/backup.py)."""

from __future__ import annotations

from pathlib import Path

import click

from beleidsbank.ui.present import safe_name

from .cli_common import data_dir_option, fail, settings_for


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False))
@data_dir_option
def backup(dest, data_dir):
    """Maak een reservekopie van de datamap in de nieuwe map DEST (ook terwijl de app of de API draait).

    Terugzetten: stop de server en gebruik de map DEST als datamap (--data-dir of BELEIDSBANK_DATA)."""
    from beleidsbank.backup import BackupError
    from beleidsbank.backup import backup as run_backup
    from beleidsbank.index.store import StoreError

    settings = settings_for(data_dir)
    try:
        report = run_backup(settings.data_dir, Path(dest))
    except (BackupError, StoreError) as exc:
        fail(str(exc))
    click.echo(
        f"reservekopie in {safe_name(str(dest))}: {report.documents} document(en), generatie {report.generation}, "
        f"{len(report.index_files)} indexbestand(en)."
    )
