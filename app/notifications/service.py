"""Queue e-mails in the outbox (inside the caller's transaction) and deliver them by SMTP with retries."""

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.timeutil import utcnow

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def enqueue(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the outbox; it is sent after the caller commits, by `deliver_due`."""
    message = OutboxMessage(recipient=recipient.strip(), subject=subject[:300], body=body)
    db.session.add(message)
    return message


def retry_delay(attempts: int) -> timedelta:
    """Wait longer after each failed attempt: 1, 2, 4 ... minutes, at most six hours."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_WAIT)


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def deliver_due(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Try every message whose time has come; returns (sent, failed). Failures wait and retry."""
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS,
               OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()  # fmt: skip
    sent = failed = 0
    for message in due:
        message.attempts += 1
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            message.next_attempt_at = now + retry_delay(message.attempts)
            failed += 1
        else:
            message.sent_at = now
            message.last_error = ""
            sent += 1
        db.session.commit()  # one message at a time: a crash never resends what was sent
    return sent, failed
