"""Consultations with women before a hearing: who came, and the priorities they raised."""

from flask import Blueprint

bp = Blueprint("consultations", __name__)
