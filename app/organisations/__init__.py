"""Organisations: women's action groups, CSOs, youth groups, mahalla committees, initiative groups."""

from flask import Blueprint

bp = Blueprint("organisations", __name__)
