"""A real SMTP server process for the jobs' tests (tests/stand_in/smtp.py), and a certificate it serves."""
from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import subprocess
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers import PROJECT
from tests.server import free_port


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1; the client trusts it through SSL_CERT_FILE."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class MailServer:
    process: subprocess.Popen
    port: int
    folder: Path
    cert: Path | None

    @property
    def inbox(self) -> Path:
        return self.folder / "inbox"

    def mode(self, mode: str) -> None:
        (self.folder / "mode").write_text(mode)

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in sorted(self.inbox.glob("*.eml"), key=lambda p: int(p.stem))]

    def ehlos(self) -> int:
        log = self.folder / "ehlo.log"
        return len(log.read_text().splitlines()) if log.exists() else 0

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_mail_server(folder: Path, tls: str | None = "starttls", login: str | None = None,
                      port: int | None = None) -> MailServer:
    folder.mkdir(parents=True, exist_ok=True)
    cert = key = None
    command = [sys.executable, "-m", "tests.stand_in.smtp", "--port", str(port or free_port()),
               "--out", str(folder / "inbox"), "--mode-file", str(folder / "mode")]
    if tls:
        cert, key = certificate(folder / "tls")
        command += ["--tls", tls, "--cert", str(cert), "--key", str(key)]
    if login:
        command += ["--login", login]
    process = subprocess.Popen(command, cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return MailServer(process, int(command[command.index("--port") + 1]), folder, cert)
