"""The simulator's throwaway CA: both ways of making it give a certificate clients verify."""

from __future__ import annotations

import shutil
import socket
import ssl
import threading

import pytest

from rollout_tui.sim import tls
from tests.conftest import in_ci


def handshake(certs: tls.Certificates) -> str:
    server_ctx = certs.server_context()
    client_ctx = ssl.create_default_context(cadata=certs.ca_pem.decode())
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def serve() -> None:
            conn, _ = listener.accept()
            with server_ctx.wrap_socket(conn, server_side=True) as tls_conn:
                tls_conn.sendall(b"ok")

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        with (
            socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
            client_ctx.wrap_socket(raw, server_hostname="127.0.0.1") as conn,
        ):
            data = conn.recv(2)
        thread.join(5)
    return data.decode()


def test_certificate_from_the_cryptography_package() -> None:
    pytest.importorskip("cryptography")
    assert handshake(tls.generate()) == "ok"


def test_certificate_from_the_openssl_command() -> None:
    if shutil.which("openssl") is None:
        if in_ci():
            pytest.fail("openssl is expected on CI machines")
        pytest.skip("openssl not installed")
    assert handshake(tls._with_openssl(("127.0.0.1", "localhost"))) == "ok"
