"""Routes of the voting blueprint: the voter's ballot and the clerk's voting pages."""

from app.voting import ballot_routes, clerk_routes  # noqa: F401
