"""Audit log of every state change."""
