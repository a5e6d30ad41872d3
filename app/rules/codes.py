"""Short human-typable codes without look-alike characters (no 0/O, 1/I/L)."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int = 6) -> str:
    """A random code of `length` characters from ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str:
    """Uppercase a typed code and drop spaces and dashes people add while reading it out."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def is_wellformed(code: str, length: int = 6) -> bool:
    """True when `code` has the right length and only characters from ALPHABET."""
    return len(code) == length and all(ch in ALPHABET for ch in code)
