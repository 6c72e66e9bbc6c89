"""The database drops the application's connections (PostgreSQL restarted) → the next request
reconnects and is answered, not a 500.

On PostgreSQL (CI's second pass, DATABASE_URL set) the app talks to the server through a TCP proxy
started here, and the proxy cuts every open connection, as a restart of the server does; Django's
health check (CONN_HEALTH_CHECKS) finds the persistent connection dead at the start of the next
request and opens a new one. On SQLite (the first pass) the equivalent: the handle the app holds is
closed under it; SQLite cannot check a handle, so the settings open one per request (CONN_MAX_AGE 0).

Requests go through Django's real WSGI handler, which (unlike the test client) runs the
connection housekeeping at the start and end of every request, as gunicorn does."""

import socket
import threading

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from units.choices import Role


class DroppingProxy:
    """A TCP proxy on a loopback port to ``target``; ``drop_all`` cuts every connection through it."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.accepted += 1
                self.open += [downstream, upstream]
            threading.Thread(target=self._pump, args=(downstream, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, downstream), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def drop_all(self):
        with self.lock:
            for sock in self.open:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.open = []

    def close(self):
        self.listener.close()
        self.drop_all()


def get(path: str, cookie: str) -> tuple[int, str]:
    """GET ``path`` through the WSGI handler, as a server would call it (signals included)."""
    environ = RequestFactory().get(path, HTTP_COOKIE=cookie).environ
    status = {}

    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response).decode()
    finally:
        response.close()  # request_finished: where Django decides to keep or close the connection
    return status["code"], body


@pytest.fixture
def signed_in(make_user, noi_vu):
    user = make_user("ket-noi-lai", Role.REVIEWER, noi_vu)
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.fixture
def through_proxy():
    """On PostgreSQL: the app's connections go through a DroppingProxy (yielded); None on SQLite."""
    if connection.vendor != "postgresql":
        yield None
        return
    saved = {key: connection.settings_dict.get(key) for key in ("HOST", "PORT")}
    proxy = DroppingProxy(saved["HOST"] or "127.0.0.1", int(saved["PORT"] or 5432))
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    try:
        yield proxy
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        proxy.close()


def test_connections_are_health_checked():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db(transaction=True)
def test_the_next_request_reconnects_after_the_database_dropped_the_connection(signed_in, through_proxy):
    home = reverse("home")
    status, body = get(home, signed_in)
    assert status == 200 and "ket-noi-lai" in body

    if through_proxy is not None:  # PostgreSQL restarted: every connection cut
        assert connection.connection is not None, "the connection should persist between requests here"
        before = through_proxy.accepted
        through_proxy.drop_all()
    else:  # SQLite: the handle the app holds closed under it
        connection.ensure_connection()
        connection.connection.close()

    status, body = get(home, signed_in)

    assert status == 200 and "ket-noi-lai" in body
    if through_proxy is not None:
        assert through_proxy.accepted > before  # a new connection, through the proxy again
