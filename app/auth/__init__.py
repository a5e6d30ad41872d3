"""Logging in and out, the language switcher, and role checks."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
