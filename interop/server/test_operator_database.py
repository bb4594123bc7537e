"""Operator commands say which database they use, and the ones that only read
or maintain never make an empty one: run from the wrong folder, they fail
naming the path and the settings, instead of answering "no clients" from a
new empty file that looks like lost data. `account create` asks for the
password on a terminal without echoing it."""
import os
import pty
import select
import subprocess

from conftest import server_binary


def test_a_read_only_command_in_the_wrong_folder_names_the_missing_database(fxa_cli, tmp_path):
    listed = fxa_cli("client", "list")
    assert listed.returncode != 0
    expected = str(tmp_path / "data" / "fxa.sqlite")
    assert f"no database at {expected}" in listed.stderr, listed.stderr
    assert "--data-dir" in listed.stderr and "FXA_DATABASE_URL" in listed.stderr
    assert not (tmp_path / "data" / "fxa.sqlite").exists(), "nothing was made"
    for args in (("events", "list"), ("keys", "list"), ("account", "list"), ("client", "show", "--id", "0123456789abcdef")):
        refused = fxa_cli(*args)
        assert refused.returncode != 0 and "no database at" in refused.stderr, (args, refused.stderr)

    created = fxa_cli("client", "create", "--name", "Site", "--redirect-uri", "https://rp.example/cb", "--json")
    assert created.returncode == 0, created.stderr
    assert f"database: sqlite file {expected}" in created.stderr, created.stderr
    listed = fxa_cli("client", "list", "--json")
    assert listed.returncode == 0 and f"database: sqlite file {expected}" in listed.stderr
    assert listed.stdout.lstrip().startswith("["), "the database line stays off standard output"

    elsewhere = fxa_cli("client", "list", "--data-dir", str(tmp_path / "other"))
    assert elsewhere.returncode != 0 and str(tmp_path / "other" / "fxa.sqlite") in elsewhere.stderr


def test_postgres_urls_are_named_without_their_password(fxa_cli):
    refused = fxa_cli("client", "list", "--database-url", "postgres://fxa:hunter2@127.0.0.1:1/fxa")
    assert "hunter2" not in refused.stderr + refused.stdout
    assert "database: postgres postgres://fxa:redacted@127.0.0.1:1/fxa" in refused.stderr, refused.stderr


def test_account_create_asks_for_the_password_twice_without_echo_on_a_terminal(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FXA_")}
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [server_binary(), "account", "create", "--email", "tty@example.test"], cwd=tmp_path, env=env,
        stdin=follower, stdout=subprocess.PIPE, stderr=follower, close_fds=True)
    os.close(follower)
    seen = b""

    def read_until(marker):
        nonlocal seen
        while marker not in seen:
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no {marker!r} in {seen!r}"
            seen += os.read(leader, 1024)

    read_until(b"Password for tty@example.test: ")
    os.write(leader, b"a terminal password\n")
    read_until(b"Repeat the password: ")
    os.write(leader, b"a terminal password\n")
    out, _ = process.communicate(timeout=60)
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if not ready:
                break
            seen += os.read(leader, 1024)
    except OSError:
        pass
    os.close(leader)
    assert process.returncode == 0, seen
    assert b"created tty@example.test" in out
    assert b"a terminal password" not in seen, "the password is never echoed"


def test_ctrl_c_at_the_password_prompt_gives_the_terminal_its_echo_back(tmp_path):
    import signal
    import termios

    env = {k: v for k, v in os.environ.items() if not k.startswith("FXA_")}
    leader, follower = pty.openpty()
    assert termios.tcgetattr(follower)[3] & termios.ECHO
    process = subprocess.Popen(
        [server_binary(), "account", "create", "--email", "cancel@example.test"], cwd=tmp_path, env=env,
        stdin=follower, stdout=subprocess.PIPE, stderr=follower, close_fds=True)
    seen = b""
    while b"Password for cancel@example.test: " not in seen:
        ready, _, _ = select.select([leader], [], [], 30)
        assert ready, seen
        seen += os.read(leader, 1024)
    assert not termios.tcgetattr(follower)[3] & termios.ECHO, "echo is off while the password is typed"
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    try:
        assert process.returncode == -signal.SIGINT, "it dies of the Ctrl-C, as a calling script expects"
        assert termios.tcgetattr(follower)[3] & termios.ECHO, "the shell after Ctrl-C must echo again"
    finally:
        os.close(follower)
        os.close(leader)
