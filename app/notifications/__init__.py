"""E-mail notifications through an outbox table, delivered by SMTP with retries."""

from flask import Blueprint

bp = Blueprint("notifications", __name__)
