"""TLS through the pinned connection: we connect to the checked IP, yet SNI and
certificate verification use the URL's hostname. Local CA made on the fly."""
from __future__ import annotations

import datetime as dt
import ssl

import pytest

from sources.http import HttpClient

from .fetchkit import FaultServer, make_policy

x509 = pytest.importorskip("cryptography.x509")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def _name(cn: str):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@pytest.fixture(scope="module")
def tls_setup(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("storywatch test CA"))
        .issuer_name(_name("storywatch test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name("news.example"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("news.example")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    (d / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (d / "leaf.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (d / "leaf.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    sni_seen: list[str | None] = []
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(d / "leaf.pem", d / "leaf.key")
    ctx.sni_callback = lambda sock, name, c: sni_seen.append(name)
    srv = FaultServer("127.0.0.1")
    srv._httpd.socket = ctx.wrap_socket(srv._httpd.socket, server_side=True, do_handshake_on_connect=False)
    srv.start()
    srv.add("/tls", lambda h: h.reply(200, b"secure hello " + h.headers.get("Host", "").encode()))
    yield srv, str(d / "ca.pem"), sni_seen
    srv.close()


def test_https_via_pinned_ip_verifies_original_hostname(tls_setup):
    srv, ca, sni_seen = tls_setup
    c = HttpClient(make_policy(ca_bundle=ca), resolver=lambda host, port: ["127.0.0.1"])
    r = c.get(f"https://news.example:{srv.port}/tls")
    assert r.ok, r.error
    assert r.body == f"secure hello news.example:{srv.port}".encode()
    assert "news.example" in sni_seen


def test_https_untrusted_certificate_is_tls_error(tls_setup):
    srv, _ca, _ = tls_setup
    c = HttpClient(make_policy(retries=0), resolver=lambda host, port: ["127.0.0.1"])  # certifi roots only
    r = c.get(f"https://news.example:{srv.port}/tls")
    assert r.error_kind == "tls", r.error
    assert "CERTIFICATE_VERIFY_FAILED" in r.error


def test_https_hostname_mismatch_is_tls_error(tls_setup):
    srv, ca, _ = tls_setup
    c = HttpClient(make_policy(ca_bundle=ca, retries=0), resolver=lambda host, port: ["127.0.0.1"])
    r = c.get(f"https://other.example:{srv.port}/tls")
    assert r.error_kind == "tls", r.error
    assert "hostname mismatch" in r.error.lower() or "not valid for" in r.error.lower()
