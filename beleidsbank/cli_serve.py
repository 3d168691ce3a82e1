"""`beleidsbank serve`: the REST API (beleidsbank/server.py) under uvicorn.

Without accounts the API is open to whoever reaches its port, so it listens on this computer
only (127.0.0.1) unless --insecure-open says otherwise, as `beleidsbank app` does; once an
account exists every request needs a token, and any address may be given.
"""

from __future__ import annotations

import click

from beleidsbank.ui.present import safe

from .cli_common import accounts_exist, data_dir_option, fail, model_option, settings_for

# the longest request line and headers: the longest query (cli_common.MAX_QUERY_CHARS characters
# of up to 4 UTF-8 bytes, each percent-encoded in 3) with every filter at its longest fits
URL_BYTES = 4_000_000


@click.command("serve")
@data_dir_option
@model_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Adres waarop de API luistert.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--insecure-open",
    is_flag=True,
    help="Luister zonder accounts ook op een ander adres dan deze computer: iedereen die de poort bereikt "
    "kan dan zoeken, documenten toevoegen en oordelen geven.",
)
def serve(data_dir, model, host, port, insecure_open):
    """Start de REST-API (JSON onder /api/, OpenAPI-schema op /openapi.json)."""
    from .settings import is_loopback

    settings = settings_for(data_dir, model)
    local = is_loopback(host)
    if not local and not insecure_open and not accounts_exist(settings):
        fail(
            f"zonder accounts luistert de API alleen op deze computer (127.0.0.1); '{safe(host)}' maakt hem "
            "bereikbaar voor anderen zonder inloggen. Maak eerst een account (beleidsbank user add) of geef "
            "--insecure-open om dat bewust te doen."
        )
    if not local and not accounts_exist(settings):
        click.echo(
            f"waarschuwing: de API is bereikbaar op {safe(host)}:{port} zonder inloggen; iedereen die de "
            "poort bereikt kan documenten toevoegen.",
            err=True,
        )
    import uvicorn

    from .server import create_app
    from .server_limits import json_h11_protocol

    where = f"[{host}]" if ":" in host else host
    click.echo(f"beleidsbank-API op http://{where}:{port}/api/ (schema: /openapi.json, uitleg: /docs)", err=True)
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        http=json_h11_protocol(),
        h11_max_incomplete_event_size=URL_BYTES,
        server_header=False,
    )
