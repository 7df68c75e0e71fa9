"""A throwaway certificate authority and server certificate for the simulator.

kubectl (client-go) sends bearer tokens only over TLS, so the simulator serves HTTPS with a
fresh CA per process; the kubeconfig it writes carries that CA, and nothing is written to disk
except a temporary key file the ssl module needs (deleted right after loading).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Certificates:
    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_alpn_protocols(["http/1.1"])  # no h2: the server speaks HTTP/1.1
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = Path(tmp, "tls.crt"), Path(tmp, "tls.key")
            cert.write_bytes(self.cert_pem + self.ca_pem)
            fd = os.open(key, os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(self.key_pem)
            context.load_cert_chain(cert, key)
        return context


class TLSUnavailable(RuntimeError):
    """Neither the cryptography package nor the openssl command is there to make a certificate."""


def generate(hosts: tuple[str, ...] = ("127.0.0.1", "localhost")) -> Certificates:
    try:
        return _with_cryptography(hosts)
    except ImportError:
        pass
    try:
        return _with_openssl(hosts)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise TLSUnavailable(
            "the simulator serves HTTPS (kubectl sends tokens only over TLS) and needs the "
            f"'cryptography' package or the openssl command to make its certificate: {exc}"
        ) from None


# x509.KeyUsage takes every flag by keyword; the CA sets these and leaves the rest off.
_KEY_USAGE_FLAGS = (
    "digital_signature",
    "content_commitment",
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)
_CA_KEY_USAGE = frozenset({"digital_signature", "key_cert_sign", "crl_sign"})


def _with_cryptography(hosts: tuple[str, ...]) -> Certificates:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rollout-tui-sim-ca")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())

    def issued(subject: x509.Name, key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
        """A year's certificate for ``key``, issued by the CA (backdated 5 minutes for clock skew)."""
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365))
        )

    key_usage = x509.KeyUsage(**{flag: flag in _CA_KEY_USAGE for flag in _KEY_USAGE_FLAGS})
    ca = (
        issued(ca_name, ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage, critical=True)
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert = (
        issued(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rollout-tui-sim")]), key)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return Certificates(
        ca.public_bytes(pem),
        cert.public_bytes(pem),
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def _with_openssl(hosts: tuple[str, ...]) -> Certificates:
    """Fallback when the cryptography package is absent: the openssl command line."""
    san = ",".join(f"IP:{h}" if h.replace(".", "").isdigit() else f"DNS:{h}" for h in hosts)
    with tempfile.TemporaryDirectory() as tmp:

        def run(*args: str) -> None:
            subprocess.run(["openssl", *args], cwd=tmp, check=True, capture_output=True)

        run(
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-days",
            "365",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-subj",
            "/CN=rollout-tui-sim-ca",
            "-addext",
            "basicConstraints=critical,CA:TRUE,pathlen:0",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
        )
        run(
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "tls.key",
            "-out",
            "tls.csr",
            "-subj",
            "/CN=rollout-tui-sim",
        )
        Path(tmp, "ext.cnf").write_text(
            f"subjectAltName={san}\nbasicConstraints=critical,CA:FALSE\n"
            "extendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\n"
            "subjectKeyIdentifier=hash\n"
        )
        run(
            "x509",
            "-req",
            "-in",
            "tls.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "365",
            "-out",
            "tls.crt",
            "-extfile",
            "ext.cnf",
        )
        return Certificates(
            Path(tmp, "ca.crt").read_bytes(),
            Path(tmp, "tls.crt").read_bytes(),
            Path(tmp, "tls.key").read_bytes(),
        )
