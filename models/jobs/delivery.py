"""What the unattended jobs send, and sending it: the weekly summary, the month-end workbook and the alerts
as email over SMTP (STARTTLS or TLS), with the password from a file readable by its owner only or from
the environment, never from the settings, the warehouse or a log.

Every failure is a SendFailed whose message says what happened in words that are safe to store and
show: the server's address and answer, never the password.
"""
from __future__ import annotations

import hashlib
import logging
import os
import smtplib
import socket
import ssl
import stat
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Callable

import duckdb

from models import deadlines
from models.figures.formatting import money_text
from models.names import printable
from models.settings.job_settings import PASSWORD_VARIABLE, Email
from models.warehouse.paths import COMMAND
from models.settings.settings import Settings

log = logging.getLogger(__name__)
EXCHANGE_TIMEOUTS = 5  # the whole exchange, greeting to the message taken, within this many times email.timeout
PDF, WORKBOOK = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SendFailed(RuntimeError):
    """The mail did not go; the message is safe to keep and show."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Mail:
    """A message before it is addressed: what it says and what it carries."""
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


def header_text(text: str) -> str:
    """One line of what a name may show (models.names.printable): a name from QuickBooks never starts a header
    of its own, nor turns a subject around or hides a character in it."""
    return " ".join(printable(text).split())


def long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def weekly_mail(con: duckdb.DuckDBPyConnection, owner: Settings, company: str, as_of: date) -> Mail:
    """The weekly summary PDF with the week's headline figures in the message itself."""
    from models.documents import weekly  # here and below: what makes the documents loads only when one is made,
    # so a runner with nothing due (called every minute) starts light

    week = weekly.load(con, owner, as_of)
    this_week, last_week = weekly.total(week.this_week), weekly.total(week.last_week)
    month, last_month = weekly.total(week.month_to_date), weekly.total(week.last_month_to_date)
    body = (f"The week of {long_date(week.first_day)} for {company or 'your company'}, as of {long_date(as_of)}:\n\n"
            f"  Invoiced this week: {money_text(this_week)} (the same days last week: {money_text(last_week)})\n"
            f"  Month to date: {money_text(month)} (the same point last month: {money_text(last_month)})\n"
            f"  MRR: {money_text(week.mrr['mrr'])}\n"
            f"  Receivables: {money_text(week.receivables)}, of which past due {money_text(week.past_due)}\n\n"
            "The one-page summary is attached.\n")
    pdf = weekly.summary_pdf(week, company)
    return Mail(header_text(f"Weekly summary: week of {long_date(week.first_day)}{_of(company)}"), body,
                (Attachment(f"weekly-summary-{week.first_day.isoformat()}.pdf", PDF, pdf),))


def month_end_mail(con: duckdb.DuckDBPyConnection, owner: Settings, company: str, month: date,
                   today: date) -> Mail:
    """The month-end workbook, saying whether the month ties out."""
    from models.documents import month_end_workbook
    from models.figures import month_end

    pack = month_end.build(con, owner, month, today=today)
    ties = f"It {pack.tie_out}. " + ("The Tie-out sheet shows what was compared." if pack.ties_out
                                     else "The Tie-out sheet shows the differences.")
    note = f"\nNote: {pack.not_over}.\n" if pack.not_over else ""
    body = (f"The month-end workbook for {month:%B %Y} ({company or 'your company'}) is attached: "
            + ", ".join(sheet.name for sheet in pack.sheets) + f".\n\n{ties}\n{note}")
    return Mail(header_text(f"Month-end pack: {month:%B %Y}{_of(company)}"), body,
                (Attachment(f"month-end-{month:%Y-%m}.xlsx", WORKBOOK, month_end_workbook.workbook_bytes(pack)),))


def _of(company: str) -> str:
    return f" ({company})" if company else ""


def alert_mail(subject: str, lines: list[str]) -> Mail:
    return Mail(header_text(f"msp-revenue alert: {subject}"),
                "\n".join(lines) + f"\n\n(Sent by msp-revenue jobs run-due. `{COMMAND} status` says more.)\n")


def message(email: Email, to: tuple[str, ...], mail: Mail, key: str) -> EmailMessage:
    """The message as sent. Its Message-ID follows from the job and period (`key`): should a message
    ever go out twice, a mail program shows it once."""
    out = EmailMessage()
    out["Subject"] = mail.subject
    out["From"] = email.sender
    out["To"] = ", ".join(to)
    out["Date"] = formatdate(localtime=True)
    out["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{email.sender.rsplit('@', 1)[-1]}>"
    out.set_content(mail.body)
    for attachment in mail.attachments:
        main, sub = attachment.content_type.split("/", 1)
        out.add_attachment(attachment.data, maintype=main, subtype=sub, filename=attachment.filename)
    return out


def password(email: Email) -> str | None:
    """The login's password: MSP_REVENUE_SMTP_PASSWORD, else the password file (its owner's only)."""
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    if not email.password_file:
        return None
    path = Path(email.password_file).expanduser()
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SendFailed(f"the password file {path} can be read by others; make it yours only: chmod 600 {path}")
        return path.read_text(encoding="utf-8").strip("\r\n")
    except OSError as err:
        raise SendFailed(f"the password file {path} cannot be read ({err.strerror or type(err).__name__})") from None


def send(email: Email, message: EmailMessage, accepted: Callable[[list[str]], None]) -> None:
    """Send one message. `accepted` is told (with the recipients the server refused, if some were)
    as soon as the server has taken it, before the connection is closed, so the run records it sent
    with as little as possible between the two. Once the server has answered the message's DATA with
    250 the message is its own: nothing after (its answer to QUIT, a dropped line) makes it unsent."""
    secret = password(email)
    if email.user and not secret:
        raise SendFailed(f"email.user is {email.user} but no password is set: put it in a file named in "
                         f"email.password_file (chmod 600) or in {PASSWORD_VARIABLE}")
    where = f"{email.host}:{email.port}"
    exchange = deadlines.Deadline(email.timeout * EXCHANGE_TIMEOUTS, where)
    try:
        with exchange:
            server = _connect(email)
            try:
                if email.user:
                    server.login(email.user, secret)
                refused = server.send_message(message)
            except BaseException:
                server.close()
                raise
    except deadlines.DeadlinePassed:
        raise SendFailed(f"{where} did not finish the exchange within {exchange.seconds:g} s ({EXCHANGE_TIMEOUTS} "
                         f"times email.timeout): it answers too slowly") from None
    except smtplib.SMTPAuthenticationError as err:
        raise SendFailed(_scrubbed(f"{where} refused the login for {email.user}: {_answer(err)}", secret)) from None
    except smtplib.SMTPRecipientsRefused as err:
        raise SendFailed(_scrubbed(f"{where} refused every recipient ({', '.join(sorted(err.recipients))})",
                                   secret)) from None
    except smtplib.SMTPResponseException as err:
        raise SendFailed(_scrubbed(f"{where} answered {_answer(err)}", secret)) from None
    except smtplib.SMTPNotSupportedError as err:
        raise SendFailed(_not_offered(where, message, err)) from None
    except ssl.SSLCertVerificationError as err:
        raise SendFailed(f"{where}'s certificate cannot be trusted ({err.verify_message})") from None
    except (socket.timeout, TimeoutError):
        raise SendFailed(f"{where} did not answer within {email.timeout} s") from None
    except ConnectionRefusedError:
        raise SendFailed(f"{where} refused the connection (no mail server listening there)") from None
    except (smtplib.SMTPException, OSError) as err:
        raise SendFailed(_scrubbed(f"{where}: {type(err).__name__} {err}", secret)) from None
    try:
        accepted(sorted(refused))
    finally:
        with deadlines.Deadline(email.timeout, where) as goodbye:
            goodbye.watch(server)
            _say_goodbye(server, where)


def _say_goodbye(server: smtplib.SMTP, where: str) -> None:
    """QUIT after the message was taken: whatever the server answers, or if it is gone, the mail is sent."""
    try:
        code, _ = server.quit()
        if code != 221:
            log.info("%s answered QUIT with %s after taking the message; it is sent", where, code)
    except (smtplib.SMTPException, OSError) as err:
        log.info("%s dropped the line after taking the message (%s); it is sent", where, type(err).__name__)
    finally:
        server.close()


class _Smtp(deadlines.Watched, smtplib.SMTP):
    pass


class _SmtpOverTls(deadlines.Watched, smtplib.SMTP_SSL):
    pass


def _connect(email: Email) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if email.security == "tls":
        return _SmtpOverTls(email.host, email.port, timeout=email.timeout, context=context)
    server = _Smtp(email.host, email.port, timeout=email.timeout)
    if email.security == "starttls":
        try:
            server.starttls(context=context)
        except smtplib.SMTPNotSupportedError:
            server.close()
            raise SendFailed(f"{email.host}:{email.port} does not offer STARTTLS: set email.security to \"tls\" "
                             "(port 465) if it speaks TLS from the start") from None
        except BaseException:
            server.close()
            raise
    return server


def _not_offered(where: str, message: EmailMessage, err: smtplib.SMTPNotSupportedError) -> str:
    """What the server lacks, by what was asked of it: an address beyond ASCII needs SMTPUTF8, a login AUTH."""
    beyond_ascii = [address for field in ("From", "To") for address in str(message[field] or "").split(", ")
                    if not address.isascii()]
    if beyond_ascii:
        return (f"{where} does not offer SMTPUTF8, which the address {beyond_ascii[0]} needs (letters beyond "
                "ASCII): give an address of plain ASCII letters in the settings, or a server that offers SMTPUTF8")
    return f"{where} does not offer what was asked of it ({err})"


def _answer(err: smtplib.SMTPResponseException) -> str:
    text = err.smtp_error.decode("utf-8", "replace") if isinstance(err.smtp_error, bytes) else str(err.smtp_error)
    return f"{err.smtp_code} {' '.join(text.split())}"


def _scrubbed(text: str, secret: str | None) -> str:
    """Whatever a server says back, the password is never repeated."""
    return text.replace(secret, "(password)") if secret else text
