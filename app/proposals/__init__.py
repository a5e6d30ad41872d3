"""Proposals: submission, review, the official answer, and their public timeline."""

from flask import Blueprint

bp = Blueprint("proposals", __name__)
