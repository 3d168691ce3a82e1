"""`beleidsbank app` listens on this computer only unless told otherwise (no login yet)."""

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
