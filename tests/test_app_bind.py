"""`beleidsbank app` listens on this computer only unless told otherwise: another address needs
accounts (then the app asks for a login) or the explicit --insecure-open."""

import pytest
from click.testing import CliRunner

from beleidsbank.cli import is_loopback, main


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org", ""])
def test_other_hosts(host):
    assert not is_loopback(host)


def test_open_host_needs_the_explicit_flag(tmp_path):
    result = CliRunner().invoke(main, ["app", "--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "--insecure-open" in result.output and "Traceback" not in result.output


def test_open_host_with_accounts_starts_with_login(tmp_path, monkeypatch):
    """Once accounts exist, another address needs no --insecure-open: the app asks for a login
    (it learns its address from BELEIDSBANK_APP_HOST)."""
    import subprocess

    from beleidsbank.index import access
    from beleidsbank.index.store import Store

    store = Store.create(tmp_path)
    with store.write():
        store.add_user("beheer", "admin", access.hash_password("lang-genoeg-wachtwoord"), access.now_iso())
    store.close()
    started = {}
    monkeypatch.setattr(subprocess, "call", lambda cmd, env: started.update(cmd=cmd, env=env) or 0)
    result = CliRunner().invoke(main, ["app", "--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "inloggen" in result.output
    assert started["env"]["BELEIDSBANK_APP_HOST"] == "0.0.0.0"
    assert started["cmd"][started["cmd"].index("--server.address") + 1] == "0.0.0.0"
    result = CliRunner().invoke(main, ["app", "--login", "--data-dir", str(tmp_path)])  # behind a proxy
    assert result.exit_code == 0 and started["env"]["BELEIDSBANK_APP_LOGIN"] == "1"


def test_login_flag_needs_accounts(tmp_path):
    result = CliRunner().invoke(main, ["app", "--login", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "accounts" in result.output and "Traceback" not in result.output
