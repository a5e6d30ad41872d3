"""WSGI entry point: `gunicorn wsgi:app` in production, `flask` CLI in development."""

from app import create_app

app = create_app()
