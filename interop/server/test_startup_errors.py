"""Start-up failures an operator meets in the first hour, each said once, in a
sentence that names the cause and the setting to change: a busy port, an
unreachable PostgreSQL, a data folder that cannot be made."""
import socket


def output(result):
    return result.stdout + result.stderr


def test_a_port_in_use_names_the_port_and_the_flag(fxa_cli):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = fxa_cli("serve", "--port", str(port))
    assert result.returncode != 0
    text = output(result)
    expected = f"port {port} on 127.0.0.1 is already in use by another program"
    assert expected in text and "--port / FXA_PORT" in text, text
    assert text.count(expected) == 1, "said once"
    assert "bind(descriptor" not in text


def test_an_unreachable_postgres_names_host_port_and_the_reason(fxa_cli):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fxa_cli("serve", "--database-url", f"postgres://fxa:hunter2@127.0.0.1:{port}/fxa")
    assert result.returncode != 0
    text = output(result)
    assert f"cannot reach PostgreSQL at 127.0.0.1:{port}" in text, text
    assert "refused" in text.lower(), text
    assert "Generic description" not in text and "hunter2" not in text


def test_a_data_folder_that_cannot_be_made_names_the_path_and_why(fxa_cli, tmp_path):
    (tmp_path / "blocker").write_text("a file, not a folder")
    result = fxa_cli("serve", "--data-dir", str(tmp_path / "blocker" / "data"))
    assert result.returncode != 0
    text = output(result)
    assert f"cannot make the data folder {tmp_path / 'blocker' / 'data'}: {tmp_path / 'blocker'} is a file" in text, text
    assert "NSCocoaErrorDomain" not in text
