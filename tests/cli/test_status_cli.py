"""`stuffctl status` on screen, as one line and as JSON."""

from __future__ import annotations


def test_status_on_a_fresh_home_shows_how_to_get_started(cli):
    out = cli.ok("status").stdout
    assert out.startswith("Nothing recorded yet.")


def test_status_shows_only_non_empty_sections(cli):
    cli.ok("asset", "add", "TV", "--warranty", "+20d", "--price", "500")
    out = cli.ok("status").stdout
    assert "== Warranties ending in the next 60 days ==" in out
    assert "TV" in out and "20 days" in out
    assert "== Worth completing ==" in out
    data = cli.json("status")
    assert set(data) == {"as_of", "empty", "sections", "hint"}
    assert data["sections"]["warranties"][0]["days_left"] == 20
    assert cli.ok("status", "--brief").stdout == "1 warranty ending\n"
