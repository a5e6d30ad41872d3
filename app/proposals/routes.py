"""Routes of the proposals blueprint: the public side and the clerk's review."""

from app.proposals import clerk_routes, public_routes  # noqa: F401
