"""`stuffctl status` on screen, as one line and as JSON."""

from __future__ import annotations

SECTIONS = ["mine", "reminders", "warranties", "lent", "budgets", "renewals", "incidents",
            "replace", "projects", "recent", "gaps", "notifications"]


def test_status_on_a_fresh_home_shows_how_to_get_started(cli):
    out = cli.ok("status").stdout
    assert out.startswith("Nothing recorded yet.")
    data = cli.json("status")
    assert data["empty"] is True and list(data["sections"]) == SECTIONS
    assert all(v == [] for v in data["sections"].values())


def test_status_shows_only_non_empty_sections(cli):
    cli.ok("asset", "add", "TV", "--warranty", "+20d", "--price", "500")
    out = cli.ok("status").stdout
    assert "== Warranties ending in the next 60 days ==" in out
    assert "TV" in out and "20 days" in out
    assert "== Worth completing ==" in out
    assert "== Lent out ==" not in out and "== Overdue and due soon ==" not in out
    data = cli.json("status")
    assert set(data) == {"as_of", "empty", "me", "sections", "completeness", "hint"}
    assert list(data["sections"]) == SECTIONS
    assert data["sections"]["warranties"][0]["days_left"] == 20
    assert cli.ok("status", "--brief").stdout == "1 warranty ending\n"


def test_status_shows_overdue_reminders_and_spending_against_budget(cli):
    cli.ok("remind", "add", "Pay rent", "--on", "-3d")
    cli.ok("budget", "set", "groceries", "100")
    cli.ok("tx", "add", "--category", "groceries", "--", "-112", "Lidl")
    out = cli.ok("status").stdout
    assert "== Overdue and due soon ==" in out and "Pay rent" in out
    assert "== Spending this period against budget, in EUR ==" in out
    assert "112%" in out
    assert cli.ok("status", "--brief").stdout == "1 overdue · groceries 112%\n"


def test_status_brief_json_is_the_brief_form_with_its_documented_keys(cli):
    from tests.cli.test_json_docs import documented_keys

    fresh = cli.json("status", "--brief")
    assert (fresh["line"], fresh["empty"], fresh["overdue"]) == ("nothing recorded yet", True, 0)
    cli.ok("remind", "add", "Pay rent", "--on", "-3d")
    cli.ok("budget", "set", "groceries", "100")
    cli.ok("tx", "add", "--category", "groceries", "--", "-112", "Lidl")
    data = cli.json("status", "--brief")
    assert documented_keys("status --brief") == set(data)
    assert data == {"line": "1 overdue · groceries 112%", "empty": False, "overdue": 1,
                    "due_soon": 0, "warranties_ending": 0, "lent_overdue": 0,
                    "over_budget": [{"category": "groceries", "percent": 112.0}],
                    "renewals": 0, "not_delivered": 0}
    assert cli.json("status", "--json", "--brief") == data
