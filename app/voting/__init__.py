"""Voting: show of hands, digital and paper ballots, and the outcome by a named rule."""

from flask import Blueprint

bp = Blueprint("voting", __name__)
