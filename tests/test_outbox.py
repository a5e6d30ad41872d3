"""Notifications go through the outbox to a real SMTP server; failures retry and never block anyone."""

import socket
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.service import MAX_ATTEMPTS, deliver_due, enqueue, retry_delay
from app.timeutil import utcnow


class Inbox(Message):
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A local SMTP server the app is pointed at for one test."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield inbox
    controller.stop()


def pending():
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_queued_messages_are_delivered_once_by_smtp(app, smtp):
    enqueue("wag@example.kg", "Сунушуңуз кабыл алынды", "Текст\nhttp://localhost/p/1")
    db.session.commit()
    assert deliver_due() == (1, 0)
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert received["To"] == "wag@example.kg"
    assert str(make_header(decode_header(received["Subject"]))) == "Сунушуңуз кабыл алынды"
    assert "http://localhost/p/1" in received.get_payload(decode=True).decode()
    assert pending()[0].sent_at is not None
    assert deliver_due() == (0, 0)  # nothing is sent twice
    assert len(smtp.messages) == 1


def test_a_dead_smtp_server_is_retried_later_with_a_growing_wait(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    enqueue("wag@example.kg", "Subject", "Body")
    db.session.commit()
    now = utcnow()
    assert deliver_due(now) == (0, 1)
    [message] = pending()
    assert message.attempts == 1 and message.sent_at is None and "Connection" in message.last_error
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert deliver_due(now) == (0, 0)  # not yet due again
    assert retry_delay(2) == timedelta(minutes=2) and retry_delay(50) == timedelta(hours=6)


def test_delivery_resumes_when_the_server_comes_back(app, smtp):
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()
    enqueue("wag@example.kg", "Subject", "Body")
    db.session.commit()
    now = utcnow()
    deliver_due(now)
    app.config["MAIL_PORT"] = port
    assert deliver_due(now + timedelta(minutes=2)) == (1, 0)
    assert len(smtp.messages) == 1


def test_a_message_is_given_up_after_the_last_attempt(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    enqueue("wag@example.kg", "Subject", "Body")
    db.session.commit()
    moment = utcnow()
    for _ in range(MAX_ATTEMPTS + 2):
        deliver_due(moment)
        moment += timedelta(hours=7)
    assert pending()[0].attempts == MAX_ATTEMPTS
