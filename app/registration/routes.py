"""Routes of the registration blueprint: the public side and the clerk's desk."""

from app.registration import desk_routes, public_routes  # noqa: F401
