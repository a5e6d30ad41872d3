"""Registration, tickets, the check-in desk and the live attendance breakdown."""

from flask import Blueprint

bp = Blueprint("registration", __name__)
