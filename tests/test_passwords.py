"""Login passwords: argon2 hashes in the auth file (`mentorprep passwd`), non-ASCII passwords,
plain-text entries compared as bytes, and the login check Gradio calls."""

import asyncio
import inspect
import io
import stat
import unicodedata

import pytest

from assistant.cli import main
from assistant.components import passwords as pw
from assistant.errors import BadInput
from assistant.settings import get_settings

NON_ASCII = "Grüße, 日本語 & émoji 🔑"


def test_the_auth_file_holds_an_argon2_hash_not_the_password(tmp_path):
    path = tmp_path / "auth"
    pw.set_password(path, "ann", "correct horse battery")
    text = path.read_text()
    assert text.startswith("ann:$argon2id$") and "correct horse" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    logins = pw.Logins(pw.parse_entries(text.splitlines()))
    assert logins.check("ann", "correct horse battery")
    assert not logins.check("ann", "correct horse batterY")
    assert not logins.check("bob", "correct horse battery")  # unknown name: no error, no login


def test_non_ascii_passwords_work_in_either_unicode_form(tmp_path):
    path = tmp_path / "auth"
    pw.set_password(path, "zoë", NON_ASCII)
    logins = pw.Logins(pw.parse_entries(path.read_text().splitlines()))
    assert logins.check("zoë", NON_ASCII)
    decomposed = unicodedata.normalize("NFD", NON_ASCII)  # "ü" as u + combining diaeresis
    assert decomposed != NON_ASCII and logins.check("zoë", decomposed)
    assert not logins.check("zoë", NON_ASCII.replace("🔑", "🗝"))


def test_plain_text_entries_are_compared_as_bytes(tmp_path):
    """An old plain-text entry still works, non-ASCII included (str compare_digest raised)."""
    logins = pw.Logins(pw.parse_entries([f"ann:{NON_ASCII}", "bob:plain-pw"]))
    assert logins.plain_text_names == ["ann", "bob"]
    assert logins.check("ann", NON_ASCII) and not logins.check("ann", "Grüße")
    assert logins.check("bob", "plain-pw") and not logins.check("bob", "plain-pX")


def test_the_login_check_is_a_coroutine_function():
    """Gradio awaits `auth` only when it is a coroutine function; anything else returning a
    coroutine would be truthy, a login for any password."""
    logins = pw.Logins({"ann": pw.hash_password("long enough")})
    assert inspect.iscoroutinefunction(logins.login)
    assert asyncio.run(logins.login("ann", "long enough")) is True
    assert asyncio.run(logins.login("ann", "wrong password")) is False


def test_setting_again_replaces_and_remove_removes(tmp_path):
    path = tmp_path / "auth"
    pw.set_password(path, "ann", "first password")
    pw.set_password(path, "bob", "bobs password")
    pw.set_password(path, "ann", "second password")
    entries = pw.parse_entries(path.read_text().splitlines())
    assert sorted(entries) == ["ann", "bob"]
    assert pw.verify(entries["ann"], "second password")
    assert not pw.verify(entries["ann"], "first password")
    pw.set_password(path, "ann", None)
    assert sorted(pw.parse_entries(path.read_text().splitlines())) == ["bob"]


@pytest.mark.parametrize("name", ["", "a:b", "a b", "a,b", "#a"])
def test_bad_names_are_refused(name, tmp_path):
    with pytest.raises(BadInput, match="cannot be a login name"):
        pw.set_password(tmp_path / "auth", name, "long enough")


def test_a_short_password_is_refused(tmp_path):
    with pytest.raises(BadInput, match="shorter than 8"):
        pw.set_password(tmp_path / "auth", "ann", "short")
    assert not (tmp_path / "auth").exists()


def test_mentorprep_passwd_writes_the_default_auth_file(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(NON_ASCII + "\n"))
    assert main(["passwd", "zoë", "--stdin"]) == 0
    settings = get_settings()
    assert settings.auth_path == settings.home / "auth"
    assert "hashed password" in capsys.readouterr().out
    entries = settings.credentials()  # the app reads <home>/auth without being told
    assert list(entries) == ["zoë"] and pw.is_hashed(entries["zoë"])
    assert pw.verify(entries["zoë"], NON_ASCII)
    assert main(["passwd", "zoë", "--remove"]) == 0
    assert settings.credentials() == {}


def test_a_missing_auth_file_that_was_named_is_an_error(monkeypatch, tmp_path):
    """A typo in MENTORPREP_AUTH_FILE must not quietly turn the login off."""
    from assistant.errors import MentorPrepError

    monkeypatch.setenv("MENTORPREP_AUTH_FILE", str(tmp_path / "no-such-file"))
    get_settings.cache_clear()
    with pytest.raises(MentorPrepError, match="does not exist"):
        get_settings().credentials()
