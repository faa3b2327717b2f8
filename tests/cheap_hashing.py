"""Argon2 at the lowest cost, for tests only: the suite creates hundreds of users, and production-cost
Argon2 takes seconds per hash on a busy two-core CI machine. Same algorithm, so hashes still start argon2$."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1


HASHERS = ["cheap_hashing.CheapArgon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
