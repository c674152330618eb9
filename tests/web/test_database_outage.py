"""The database going away and coming back, through the real request cycle (quality.md R8).

The application reaches PostgreSQL through a TCP relay that the test cuts (open connections are
dropped and new ones refused, as when the server stops) and restores. Requests go through
Django's WSGI handler as under gunicorn, so the connection handling between requests
(close_old_connections, CONN_MAX_AGE, CONN_HEALTH_CHECKS) is the production one.

Marker `transactional`: the test reconnects the default connection, which the shared suite's
per-test transaction cannot survive; PostgreSQL only (`make test-pg`).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import socket
import threading
from typing import Any

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from papitrack.accounts.enums import Role
from papitrack.accounts.models import ApiToken
from papitrack.accounts.services import create_or_update_user, hash_token
from papitrack.web.views.errors import DATABASE_UNAVAILABLE

pytestmark = [pytest.mark.transactional, pytest.mark.django_db(transaction=True)]

TOKEN = "outage-test-token-not-a-secret"


class Relay:
    """Forward 127.0.0.1:<port> to the database server until cut; restore on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Drop every open connection and refuse new ones."""
        if self.listener is not None:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            self.listener.close()
            self.listener = None
        with self.lock:
            sockets, self.sockets = self.sockets, []
        for open_socket in sockets:
            _shut(open_socket)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            for source, destination in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(source, destination), daemon=True).start()


def _pipe(source: socket.socket, destination: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            destination.sendall(data)
    except OSError:
        pass
    finally:
        _shut(source)
        _shut(destination)


def _shut(open_socket: socket.socket) -> None:
    with contextlib.suppress(OSError):
        open_socket.shutdown(socket.SHUT_RDWR)
    open_socket.close()


@pytest.fixture
def relay(transactional_db: None):
    """Point the default connection at a relay in front of the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server: run by make test-pg")
    settings_dict = connection.settings_dict
    host, port = settings_dict["HOST"], settings_dict["PORT"]
    if not host or host.startswith("/"):
        pytest.skip("the test database is reached through a Unix socket, not TCP")
    relay = Relay(host, int(port or 5432))
    relay.start()
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(relay.port)
    try:
        yield relay
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = host, port
        relay.cut()


class Browser:
    """Requests through Django's WSGI handler, the way gunicorn calls the application."""

    def __init__(self, **headers: str) -> None:
        self.handler = WSGIHandler()
        self.headers = headers

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        environ = RequestFactory().get(path, **self.headers).environ
        started: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], *args: Any) -> None:
            started.update(status=int(status.split()[0]), headers=dict(headers))

        response = self.handler(environ, start_response)
        try:
            body = b"".join(response).decode()
        finally:
            response.close()  # request_finished: close_old_connections, as in production
        return started["status"], started["headers"], body


@pytest.fixture
def people(relay: Relay) -> tuple[Browser, Browser]:
    """A bearer-token API client and a logged-in browser, created while the database is up."""
    user = create_or_update_user(username="outage", password=None, unit=None, role=Role.LEADER)
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(TOKEN),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    api = Browser(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    browser = Browser(HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}")
    return api, browser


def test_database_outage_gives_503_and_the_system_recovers_when_it_returns(relay, people):
    api, browser = people
    assert api.get("/api/v1/reports")[0] == 200
    assert browser.get("/")[0] == 200

    relay.cut()
    status, headers, body = api.get("/api/v1/reports")  # the kept connection is dead
    assert (status, json.loads(body)) == (503, {"detail": DATABASE_UNAVAILABLE, "errors": []})
    assert headers["Retry-After"] == "30"
    status, headers, page = browser.get("/")  # a new connection is refused
    assert (status, headers["Content-Type"]) == (503, "text/html; charset=utf-8")
    assert DATABASE_UNAVAILABLE in page

    relay.start()
    assert api.get("/api/v1/reports")[:1] == (200,)
    status, _, page = browser.get("/")
    assert status == 200
    assert DATABASE_UNAVAILABLE not in page


def test_database_restart_between_requests_costs_no_failed_request(relay, people):
    api, _ = people
    assert api.get("/api/v1/reports")[0] == 200  # the connection is kept (CONN_MAX_AGE)
    relay.cut()
    relay.start()
    # CONN_HEALTH_CHECKS: the dead kept connection is noticed before use and replaced.
    assert api.get("/api/v1/reports")[0] == 200
