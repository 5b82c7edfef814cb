"""Notifications the way each person wants (#22, docs/notify.md): channels through
Apprise to real servers started here on 127.0.0.1 (an SMTP server, aiosmtpd, and an
HTTP server receiving ``json://`` webhooks), who is concerned, profiles, digests, quiet
hours, and the outbox: nothing lost, nothing twice, in order."""

from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import threading
import time as clock
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stuffctl import store
from stuffctl.errors import InvalidInput
from stuffctl.services import demo
from stuffctl.services.remind import outbox, profiles
from stuffctl.services.remind.notify import HIDDEN, mask, scrub
from tests.conftest import Cli, stuffctl_exe

DEMO_DAY = date(2026, 11, 23)
NOW = "2026-11-23 09:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Webhook:
    """An HTTP server on 127.0.0.1 taking ``json://`` notifications: (path, title, message)
    in the order they came. ``start`` again after ``stop`` to bring a channel back."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.received: list[tuple[str, str, str]] = []
        self.server: HTTPServer | None = None

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def start(self) -> Webhook:
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                received.append((self.path.strip("/"), body["title"], body["message"]))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def titles(self, path: str) -> list[str]:
        return [title for p, title, _ in self.received if p == path]


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook().start()
    yield hook
    hook.stop()


class Mailbox:
    """What the SMTP server received: one parsed message per recipient list."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"

    def subjects(self, to: str) -> list[str]:
        return [str(m["Subject"]) for m in self.messages if to in str(m["To"])]


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def mail_url(port: int, to: str) -> str:
    return f"mailto://127.0.0.1:{port}?from=stuffctl@home.test&to={to}"


@pytest.fixture
def demo_home(home: Any) -> Any:
    with store.transaction(write=True) as db:
        demo.build(db=db, seed=1, today=DEMO_DAY)
    return home


# -- masking ---------------------------------------------------------------------------

TOKEN = st.text("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=8,
                max_size=30)


@given(token=TOKEN, password=TOKEN)
def test_a_masked_channel_never_shows_a_password_a_token_or_a_topic(token: str,
                                                                    password: str) -> None:
    urls = [f"ntfys://ntfy.sh/{token}", f"ntfy://{token}", f"tgram://123456:{token}/987",
            f"gotify://gotify.example.org/{token}", f"pover://{token}@{password}",
            f"mailtos://sam:{password}@smtp.example.com:587?to=sam@example.com",
            f"json://127.0.0.1:8080/hook?token={token}",
            f"mailtos://smtp.example.com?user=sam&pass={password}&to=a@b.example"]
    for url in urls:
        shown = mask(url)
        assert token not in shown and password not in shown, (url, shown)
        assert HIDDEN in shown and shown.split("://")[0] == url.split("://")[0]
        said = scrub(f"could not reach {url} ({token}, {password})", url)
        assert not [s for s in (token, password) if s in url and s in said], said


def test_what_is_not_secret_stays_readable() -> None:
    assert mask("mailtos://sam:pw@smtp.example.com:587?to=sam@example.com") == \
        "mailtos://sam:****@smtp.example.com:587?to=sam@example.com"
    assert mask("ntfys://ntfy.sh/secret-topic") == "ntfys://ntfy.sh/****"
    assert mask("dbus://") == "dbus://"


# -- profiles --------------------------------------------------------------------------

@given(preset=st.sampled_from(sorted(profiles.PRESETS)),
       kinds=st.lists(st.sampled_from(["all", *profiles.GROUPS, *profiles.ALL_KINDS]),
                      min_size=1, max_size=4),
       hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_profile_settings_apply_in_order(preset: str, kinds: list[str], hour: int,
                                         minute: int) -> None:
    found = profiles.apply(profiles.Profile(), [
        preset, f"kinds={','.join(kinds)}", f"digest=weekly sunday {hour}:{minute:02d}"])
    assert found.kinds == ",".join(dict.fromkeys(kinds))
    assert found.bands == profiles.PRESETS[preset][1].bands
    assert found.digest == f"weekly sun {hour:02d}:{minute:02d}"


@pytest.mark.parametrize("bad", ["nosuchpreset", "kinds=groceries", "bands=sometimes",
                                 "digest=hourly", "digest=daily 25:00", "quiet=22-7",
                                 "colour=blue"])
def test_a_bad_profile_setting_is_refused_saying_what_is_expected(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        profiles.apply(profiles.Profile(), [bad])
    assert caught.value.message.startswith("--profile")


@given(day=st.dates(date(2020, 1, 1), date(2030, 12, 31)), hour=st.integers(0, 23),
       weekday=st.sampled_from(profiles.DAYS), at=st.times())
def test_the_next_digest_is_the_first_of_its_schedule_after_the_last(
        day: date, hour: int, weekday: str, at: time) -> None:
    last = datetime.combine(day, at)
    for digest in (f"daily {hour:02d}:00", f"weekly {weekday} {hour:02d}:00"):
        found = profiles.next_digest(profiles.Profile(digest=digest), last, last)
        assert found is not None and last < found <= last + timedelta(days=7)
        assert found.time() == time(hour) and found.minute == 0
        if digest.startswith("weekly"):
            assert profiles.DAYS[found.weekday()] == weekday
        else:
            assert found - last <= timedelta(days=1)


@given(attempts=st.integers(1, 40))
def test_retries_back_off_doubling_up_to_the_cap(attempts: int) -> None:
    wait = outbox.backoff(attempts)
    assert timedelta(minutes=outbox.BACKOFF_MINUTES) <= wait <= timedelta(
        minutes=outbox.BACKOFF_CAP_MINUTES)
    assert outbox.backoff(attempts + 1) in (2 * wait, timedelta(
        minutes=outbox.BACKOFF_CAP_MINUTES))


# -- who hears what --------------------------------------------------------------------

def expected(cli: Cli, person: str, bands: set[str]) -> set[str]:
    """What ``person`` should hear at NOW: every open occurrence in ``bands``, except a
    loan with someone else (a loan concerns the person it is with; nothing else in the
    demo home names anyone, so it goes to everyone with a channel)."""
    loans = {f"loan:{loan['id']}": loan["person_name"] for loan in cli.json("loan", "list")}
    words = {"upcoming": "Coming up", "soon": "Soon", "due": "Due", "overdue": "Overdue",
             "expired": "Expired"}
    return {f"{words[o['band']]}: {o['title']}"
            for o in cli.json("remind", "list", "--now", NOW)
            if o["band"] in bands and loans.get(o["key"], person) == person}


def test_two_people_with_different_profiles_hear_exactly_what_their_profiles_say(
        cli: Cli, demo_home: Any, webhook: Webhook, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    cli.ok("person", "notify", "Sam", "--add", webhook.url("sam"))  # the config: all bands
    cli.ok("person", "notify", "Alex", "--add", mail_url(port, "alex@home.test"),
           "--profile", "reactive")
    sam, alex = expected(cli, "Sam", set(profiles.BANDS)), expected(cli, "Alex", {"overdue"})
    assert sam > alex and alex  # the two differ, and both hear something

    cli.ok("remind", "run", "--now", NOW)

    assert sorted(webhook.titles("sam")) == sorted(sam)
    assert sorted(box.subjects("alex@home.test")) == sorted(alex)
    assert "Ladder" in " ".join(sam) and "Ladder" not in " ".join(alex)  # lent to Sam
    cli.ok("remind", "run", "--now", NOW)  # once: nothing new the second time
    assert len(webhook.received) == len(sam) and len(box.messages) == len(alex)


def test_a_digest_person_gets_one_message_listing_what_is_new(
        cli: Cli, demo_home: Any, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    cli.ok("person", "notify", "Robin", "--add", mail_url(port, "robin@home.test"),
           "--profile", "digest", "--profile", "digest=daily 08:00")
    heard = expected(cli, "Robin", set(profiles.BANDS))
    cli.ok("remind", "run", "--now", "2026-11-23 07:30")  # before the digest: held
    assert box.messages == []
    cli.ok("remind", "run", "--now", NOW)

    (message,) = box.messages
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert message["Subject"] == f"stuffctl digest: {len(heard)} new"
    for title in heard:
        assert title.split(": ", 1)[1] in text
    cli.ok("remind", "run", "--now", "2026-11-23 20:00")  # the next digest is tomorrow
    assert len(box.messages) == 1


def test_quiet_hours_hold_a_message_until_they_end(cli: Cli, home: Any,
                                                   webhook: Webhook) -> None:
    cli.ok("person", "add", "Sam")
    cli.ok("person", "notify", "Sam", "--add", webhook.url("sam"),
           "--profile", "quiet=22:00-07:00")
    cli.ok("remind", "add", "Pills", "--on", "2026-03-04 23:00")
    cli.ok("remind", "run", "--now", "2026-03-04 23:30")
    assert webhook.received == []
    dry = cli.json("remind", "run", "--dry-run", "--now", "2026-03-04 23:45")
    assert [(r["person"], r["send"]) for r in dry if r["person"]] == []  # decided: held
    cli.ok("remind", "run", "--now", "2026-03-05 07:05")
    assert webhook.titles("sam") == ["Due: Pills"]


def test_whom_a_reminder_is_for_and_who_pays_decide_who_hears(
        cli: Cli, home: Any, webhook: Webhook) -> None:
    for name in ("Sam", "Alex"):
        cli.ok("person", "add", name)
        cli.ok("person", "notify", name, "--add", webhook.url(name.lower()))
    cli.ok("remind", "add", "Sam's dentist", "--on", "2026-03-04", "--for", "Sam")
    cli.ok("remind", "add", "Bins out", "--on", "2026-03-04")
    cli.ok("sub", "add", "Gym", "30", "--every", "monthly", "--next", "2026-03-05",
           "--payer", "Alex")
    cli.ok("config", "set", "lead.renewal", "3d")
    cli.ok("remind", "run", "--now", "2026-03-04 09:00")
    assert sorted(webhook.titles("sam")) == ["Due: Bins out", "Due: Sam's dentist"]
    assert sorted(webhook.titles("alex")) == ["Due: Bins out", "Soon: Gym renews (30.00 EUR)"]


# -- the outbox ------------------------------------------------------------------------

def test_a_channel_down_for_three_runs_gets_everything_once_in_order(
        cli: Cli, home: Any) -> None:
    hook = Webhook()  # not started: its port refuses
    cli.ok("person", "add", "Sam")
    cli.ok("person", "notify", "Sam", "--add", hook.url("sam"))
    cli.ok("remind", "add", "First", "--on", "2026-03-04 08:00")
    start = datetime(2026, 3, 4, 9, 0)
    for n, minutes in enumerate((0, 5, 15)):
        if n == 1:
            cli.ok("remind", "add", "Second", "--on", "2026-03-04 09:02")
        done = cli("remind", "run", "--now", f"{start + timedelta(minutes=minutes):%Y-%m-%d %H:%M}")
        assert done.exit_code == 12, done
        assert "not delivered to Sam on json://127.0.0.1" in done.stderr
    waiting = cli.json("remind", "outbox")
    assert [(m["title"], m["state"], m["attempts"]) for m in waiting] == [
        ("Due: Second", "pending", 0), ("Due: First", "pending", 3)]
    assert cli.json("status")["sections"]["notifications"][0]["state"] == "retrying"
    hook.start()
    try:
        cli.ok("remind", "run", "--now", "2026-03-04 09:40")
        cli.ok("remind", "run", "--now", "2026-03-04 10:40")
    finally:
        hook.stop()
    assert hook.titles("sam") == ["Due: First", "Due: Second"]
    assert {m["state"] for m in cli.json("remind", "outbox")} == {"delivered"}
    assert cli.json("status")["sections"]["notifications"] == []


def test_a_channel_that_never_answers_is_given_up_and_shown(cli: Cli, home: Any) -> None:
    cli.ok("person", "add", "Sam")
    cli.ok("person", "notify", "Sam", "--add", Webhook().url("sam"), "--profile", "bands=due")
    cli.ok("remind", "add", "Pay rent", "--on", "2026-03-04")
    at = datetime(2026, 3, 4, 9, 0)
    for attempt in range(1, outbox.GIVE_UP_AFTER + 1):
        done = cli("remind", "run", "--now", f"{at:%Y-%m-%d %H:%M}")
        assert done.exit_code == 12
        at += outbox.backoff(attempt)
    (message,) = cli.json("remind", "outbox", "--state", "undelivered")
    assert (message["attempts"], message["title"]) == (outbox.GIVE_UP_AFTER, "Due: Pay rent")
    assert cli("remind", "run", "--now", f"{at:%Y-%m-%d %H:%M}").exit_code == 0
    assert "1 notification not delivered" in cli.ok("status", "--brief").stdout


def test_twenty_overlapping_runs_deliver_each_message_once(home: Any,
                                                           webhook: Webhook) -> None:
    run = [*stuffctl_exe()]
    env = {**os.environ}

    def ok(*args: str) -> None:
        done = subprocess.run([*run, *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr

    for name in ("Sam", "Alex"):
        ok("person", "add", name)
        ok("person", "notify", name, "--add", webhook.url(name.lower()))
    for n in range(5):
        ok("remind", "add", f"Chore {n}", "--on", "2026-03-04")
    runs = [subprocess.Popen([*run, "remind", "run", "--now", "2026-03-04 09:00"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            for _ in range(20)]
    codes = [p.wait(timeout=120) for p in runs]
    assert codes == [0] * 20, [p.stderr.read() for p in runs if p.stderr]
    deadline = clock.monotonic() + 5
    while len(webhook.received) < 10 and clock.monotonic() < deadline:
        clock.sleep(0.05)
    for name in ("sam", "alex"):
        assert sorted(webhook.titles(name)) == [f"Due: Chore {n}" for n in range(5)]
    assert len(webhook.received) == 10


def test_an_idle_run_with_channels_loads_neither_apprise_nor_the_orm(
        cli: Cli, home: Any, webhook: Webhook) -> None:
    cli.ok("person", "add", "Sam")
    cli.ok("person", "notify", "Sam", "--add", webhook.url("sam"))
    cli.ok("remind", "add", "Later", "--on", "+30d")
    program = ("import sys\nfrom stuffctl.entry import main\nrc = main(['remind', 'run'])\n"
               "heavy = [m for m in ('apprise', 'typer', 'sqlmodel', 'sqlalchemy') "
               "if m in sys.modules]\nsys.stderr.write(repr((rc, heavy)))\n")
    first = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert first.stderr.startswith("(0, [")  # computes and caches when to look again
    again = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert again.stderr == "(0, [])"


# -- person notify ---------------------------------------------------------------------

def test_person_notify_adds_tests_and_removes_channels_never_showing_a_secret(
        cli: Cli, home: Any, webhook: Webhook) -> None:
    secret = "tk-9f8e7d6c5b4a"
    cli.ok("person", "add", "Sam")
    data = cli.json("person", "notify", "Sam", "--add", f"{webhook.url('sam')}?token={secret}",
                    "--add", f"ntfys://ntfy.sh/{secret}", "--profile", "budget")
    assert [c["channel"] for c in data["channels"]] == [
        f"json://127.0.0.1:{webhook.port}/****?token=****", "ntfys://ntfy.sh/****"]
    assert data["profile"]["kinds"] == "money"
    tested = cli("person", "notify", "Sam", "--rm", "2", "--test", "--json")
    assert tested.exit_code == 0 and webhook.titles("sam") == ["stuffctl: a test"]
    assert [t["error"] for t in tested.json()["test"]] == [None]
    shown = "\n".join([cli.ok("person", "show", "1").stdout, cli.ok("person", "show", "1",
                                                                   "--json").stdout,
                       cli.ok("person", "notify", "Sam").stdout])
    assert secret not in shown and "****" in shown
    refused = cli("person", "notify", "Sam", "--add", f"nosuchservice://{secret}")
    assert refused.exit_code == 2 and secret not in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Apprise" in refused.stderr
    assert cli("person", "notify", "Sam", "--rm", "7").exit_code == 3
    assert cli.json("person", "notify", "Sam", "--profile", "household")["profile"] is None


def test_a_failing_channel_says_why_without_its_secret(cli: Cli, home: Any) -> None:
    secret = "tk-0a1b2c3d4e5f"
    cli.ok("person", "add", "Sam")
    cli.ok("person", "notify", "Sam", "--add", f"{Webhook().url('sam')}?token={secret}")
    cli.ok("remind", "add", "Pay rent", "--on", "2026-03-04")
    done = cli("remind", "run", "--now", "2026-03-04 09:00")
    assert done.exit_code == 12 and secret not in done.stderr
    (message,) = cli.json("remind", "outbox", "--state", "failed")
    assert message["error"] and secret not in json.dumps(message)


# -- on a household's server -----------------------------------------------------------

@pytest.mark.postgres_only
def test_on_a_server_a_channel_is_read_by_its_person_and_admins_only(
        cli: Cli, home: Any, webhook: Webhook) -> None:
    url = os.environ["STUFFCTL_DB"]

    def as_login(login: str) -> str:
        return url.replace("postgres@", f"{login}@", 1)

    for name in ("Max", "Ada"):
        cli.ok("person", "add", name)
    cli.ok("db", "grant", "Max", "member", "--login", "max_n")
    cli.ok("db", "grant", "Ada", "admin", "--login", "ada_n")
    cli.ok("--db", as_login("max_n"), "person", "notify", "Max", "--add", webhook.url("max"))
    refused = cli("--db", as_login("max_n"), "person", "notify", "Ada", "--add",
                  webhook.url("ada"))
    assert refused.exit_code == 1 and "refused" in refused.stderr
    cli.ok("--db", as_login("ada_n"), "person", "notify", "Ada", "--add", webhook.url("ada"))

    assert cli.json("--db", as_login("max_n"), "person", "notify", "Ada")["channels"] == []
    assert [c["channel"] for c in cli.json("--db", as_login("ada_n"), "person", "notify",
                                           "Max")["channels"]] == [
        f"json://127.0.0.1:{webhook.port}/****"]

    # each person's own run tells them; the admin's run tells the rest, once
    cli.ok("remind", "add", "Bins out", "--on", "2026-03-04")
    cli.ok("--db", as_login("max_n"), "remind", "run", "--now", "2026-03-04 09:00")
    assert [p for p, _, _ in webhook.received] == ["max"]
    cli.ok("--db", as_login("ada_n"), "remind", "run", "--now", "2026-03-04 09:00")
    assert sorted(p for p, _, _ in webhook.received) == ["ada", "max"]


def test_kinds_and_temperaments_choose_what_each_person_hears(
        cli: Cli, home: Any, webhook: Webhook) -> None:
    for name, profile in (("Sam", "everything"), ("Pat", "anomalies"), ("Kim", "planner")):
        cli.ok("person", "add", name)
        cli.ok("person", "notify", name, "--add", webhook.url(name.lower()),
               "--profile", profile)
    cli.ok("budget", "set", "groceries", "100")
    cli.ok("tx", "add", "150", "Market", "--out", "--category", "groceries",
           "--on", "2026-03-02")
    cli.ok("remind", "add", "Bins out", "--on", "2026-03-04")
    cli.ok("asset", "add", "Kettle", "--warranty", "2026-03-20")
    cli.ok("remind", "run", "--now", "2026-03-04 09:00")

    budget = "Due: Budget groceries passed 100%: spent 150.00 EUR of 100.00 EUR (150%)"
    assert sorted(webhook.titles("sam")) == sorted(
        [budget, "Due: Bins out", "Coming up: Warranty of Kettle ends"])
    assert webhook.titles("pat") == [budget]
    assert webhook.titles("kim") == ["Due: Bins out"]  # plans: own reminders, no upkeep


def test_a_digest_lists_what_changed_since_the_last_one(cli: Cli, home: Any,
                                                        smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    cli.ok("person", "add", "Robin")
    cli.ok("person", "notify", "Robin", "--add", mail_url(port, "robin@home.test"),
           "--profile", "digest=daily 08:00")
    cli.ok("remind", "add", "Pay rent", "--on", "2026-03-04")
    cli.ok("remind", "run", "--now", "2026-03-04 09:00")
    cli.ok("remind", "run", "--now", "2026-03-05 09:00")  # overdue since this morning

    assert [m["Subject"] for m in box.messages] == [
        "stuffctl digest: 1 new", "stuffctl digest: 1 changed"]
    second = box.messages[1].get_body(preferencelist=("plain",))
    assert second is not None
    text = second.get_content()
    assert "Changed since the last digest (1)" in text and "OVERDUE" in text
    assert "Pay rent" in text and "New since" not in text
