"""A mail server for tests: aiosmtpd in a process of its own, keeping each message it accepts as a file.

    python -m tests.stand_in.smtp --port P --out DIR [--mode-file F] [--tls starttls|tls --cert C --key K]
                                  [--login USER:PASSWORD]

It prints "ready" once it listens on 127.0.0.1. The mode file, read at each step, says how it behaves:
`accept` (the default), `refuse` (451 to every MAIL FROM: try again later), `stall` (the greeting's answer
to EHLO never comes: the client times out), `slow` (DATA answered after 3 seconds) or `quit-error` (the
message taken, 250 after DATA, then QUIT answered 421). A message is kept
(DIR/N.eml, written whole) only when it is accepted. Every EHLO is logged in DIR/../ehlo.log. It is test
equipment, like tests/stand_in/quickbooks.py.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import ssl
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Keeper:
    """aiosmtpd's handler: answers by the mode file, keeps what it accepts."""

    def __init__(self, out: Path, mode_file: Path | None):
        self.out, self.mode_file = out, mode_file
        self.lock = threading.Lock()

    async def handle_QUIT(self, server, session, envelope):
        return "421 4.3.2 Service shutting down" if self.mode() == "quit-error" else "221 Bye"

    def mode(self) -> str:
        try:
            return self.mode_file.read_text().strip() or "accept"
        except (AttributeError, OSError):
            return "accept"

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with (self.out.parent / "ehlo.log").open("a") as log:
            log.write(f"{hostname}\n")
        if self.mode() == "stall":
            await asyncio.sleep(600)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mode() == "refuse":
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode() == "slow":
            await asyncio.sleep(3)
        with self.lock:
            number = len(list(self.out.glob("*.eml"))) + 1
            temporary = self.out / f".{number}.tmp"
            temporary.write_bytes(envelope.original_content or envelope.content)
            os.replace(temporary, self.out / f"{number}.eml")
        return "250 2.0.0 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mode-file", type=Path)
    parser.add_argument("--tls", choices=["starttls", "tls"])
    parser.add_argument("--cert", type=Path)
    parser.add_argument("--key", type=Path)
    parser.add_argument("--login", help="USER:PASSWORD the server requires")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    options = {}
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        options["tls_context" if args.tls == "starttls" else "ssl_context"] = context
        options["require_starttls"] = args.tls == "starttls"
    if args.login:
        user, password = args.login.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            given = (auth_data.login.decode(), auth_data.password.decode())
            if given == (user, password):
                return AuthResult(success=True)
            return AuthResult(success=False, handled=False, message="535 5.7.8 Authentication credentials invalid")

        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=args.tls == "starttls")  # implicit TLS is TLS already
    controller = Controller(Keeper(args.out, args.mode_file), hostname="127.0.0.1", port=args.port,
                            server_hostname="localhost", **options)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()  # until the test closes our standard input (or kills us)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
