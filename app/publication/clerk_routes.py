"""The clerk's publication pages: publish with justifications, corrections after publication."""
