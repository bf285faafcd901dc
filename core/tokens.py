"""Secrets handed to a person once (an invitation link, a calendar address) and what is kept of
them: only a SHA-256 hash, so a leaked database leaks no working link. A token is long and random,
so a plain hash, with no salt or stretching, is enough to make it unguessable from its hash."""

import hashlib
import secrets


def hash_token(token: str) -> str:
    """The hash kept in place of `token`, and looked up by hashing the token a link brings."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh random token and the hash that is stored for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)
