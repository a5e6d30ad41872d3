"""Municipalities: public listing, settings, settlements, age bands and members."""

from flask import Blueprint

bp = Blueprint("municipalities", __name__)
