"""The session's minutes: questions and answers, chair and secretary, the protocol as HTML and PDF."""

from flask import Blueprint

bp = Blueprint("minutes", __name__)
