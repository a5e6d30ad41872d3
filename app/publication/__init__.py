"""Publishing a hearing: the requirement checklist, corrections, the public results and open data."""

from flask import Blueprint

bp = Blueprint("publication", __name__)
