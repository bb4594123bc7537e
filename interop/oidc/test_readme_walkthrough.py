"""The README's "First sign-in in five minutes", followed word for word: its
commands and its script are read from README.md, not copied here, so the
walk-through cannot drift from what is tested. The only changes are the
ports (9000 and 8000 become free ones, so CI never collides) and the paths
(`swift run fxa-server` is the built binary; /tmp/rp is this test's folder).
A real Chromium plays the user: sign-up, the emailed code, consent."""
import os
import re
import select
import subprocess
from pathlib import Path

from browser import Page
from pyfxa_support import mail_header, new_email

ROOT = Path(__file__).resolve().parents[2]


def walkthrough():
    """(language, text) of each code block of the section, its list indent removed."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## First sign-in in five minutes\n", 1)[1].split("\n## ", 1)[0]
    blocks = []
    for indent, language, body in re.findall(r"\n( *)```(\w+)\n(.*?)\n\1```", section, re.S):
        blocks.append((language, "\n".join(line[len(indent):] for line in body.split("\n"))))
    return blocks


def read_line(process, timeout=60):
    """The script's next line of output, or a failure naming what it said."""
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, f"the script said nothing for {timeout}s"
    return process.stdout.readline()


def test_the_readme_walkthrough_signs_a_user_in(start_server, fxa_server_binary, loopback_port, browser, tmp_path):
    blocks = walkthrough()
    assert [language for language, _ in blocks] == ["sh", "sh", "python", "sh"], blocks
    (_, start), (_, register), (_, script), (_, run) = blocks
    assert start == "swift run fxa-server"
    server = start_server()
    site_port = loopback_port

    def localised(text):
        text = (text.replace("127.0.0.1:9000", f"127.0.0.1:{server.port}")
                .replace("127.0.0.1:8000", f"127.0.0.1:{site_port}")
                .replace('("127.0.0.1", 8000)', f'("127.0.0.1", {site_port})')
                .replace("swift run -q fxa-server", fxa_server_binary)
                .replace("/tmp/rp", str(tmp_path / "rp")))
        assert not any(port in text for port in (":9000", ":8000", ", 8000)")), text
        return text

    env = {k: v for k, v in os.environ.items() if not k.startswith("FXA_")}
    # 2. Register the site with the defaults, in the server's folder.
    registered = subprocess.run(
        ["bash", "-c", localised(register) + '\nprintf "%s\\n%s\\n" "$FXA_CLIENT_ID" "$FXA_CLIENT_SECRET"'],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert registered.returncode == 0, registered.stderr
    client_id, client_secret = registered.stdout.split()
    assert len(client_id) == 16 and len(client_secret) == 64

    # 3 and 4. The script, saved and run as the README says.
    (tmp_path / "first_signin.py").write_text(localised(script))
    setup, launch = localised(run).split("\n")
    installed = subprocess.run(["bash", "-c", setup], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    site = subprocess.Popen(
        ["bash", "-c", launch], cwd=tmp_path, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**env, "FXA_CLIENT_ID": client_id, "FXA_CLIENT_SECRET": client_secret})
    try:
        first = read_line(site)
        assert first.startswith("Open this in your browser: "), first + site.stdout.read()
        url = first.split(": ", 1)[1].strip()

        # 5. The user: any address, the code from the mailbox, consent.
        email = new_email("readme")
        page = Page(browser)
        browser.get(url)
        page.sign_up(email, "a password for my site", lambda: mail_header(server, email, "x-verify-short-code"))
        consent = page.visible("consent").text
        assert "My site" in consent and "See your email address" in consent
        page.submit("consent")
        page.wait_for_url(f"http://127.0.0.1:{site_port}/callback")
        answer = read_line(site).strip()
        assert re.fullmatch(rf"Signed in as {re.escape(email)} \(uid [0-9a-f]{{32}}\)", answer), answer
        page.wait.until(lambda b: answer in b.page_source)
        assert site.wait(timeout=30) == 0
    finally:
        if site.poll() is None:
            site.kill()
            site.wait()
        print("the script's other output:", site.stdout.read())
