"""Fixtures of the django-oauth-toolkit suite: one provider for the whole
run (its tables, RSA key and log in a temporary folder), example-app
processes per test, and the logs of both shown when a test fails."""
import pytest

from dot_support import DotProvider, NotesApp, free_port, notes_binary


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.dot_failed = report.failed
    return report


@pytest.fixture(scope="session")
def dot_provider(tmp_path_factory):
    provider = DotProvider(tmp_path_factory.mktemp("dot"))
    yield provider
    provider.stop()


@pytest.fixture
def dot(dot_provider, request):
    """The provider, with the part of its log this test produced printed
    when the test fails."""
    since = dot_provider.log_size()
    yield dot_provider
    if getattr(request.node, "dot_failed", False):
        print(f"--- django-oauth-toolkit log ({dot_provider.log_path}) ---\n{dot_provider.log(since)}")


@pytest.fixture
def start_notes(dot, tmp_path, request):
    """Registers a DOT client for a new fxa-notes-example process (its
    redirect URI is the app's callback) and starts the app against DOT.
    Returns (app, client)."""
    started = []

    def start(public=False, scope="openid profile email"):
        port = free_port()
        client = dot.add_client(f"http://127.0.0.1:{port}/auth/callback", public=public,
                                name="fxa-notes-example")
        app = NotesApp(notes_binary(), tmp_path, dot.issuer, client, scope, port=port)
        started.append(app)
        return app, client

    yield start
    for app in started:
        app.stop()
        if getattr(request.node, "dot_failed", False):
            print(f"--- fxa-notes-example log ({app.log_path}) ---\n{app.log()}")
