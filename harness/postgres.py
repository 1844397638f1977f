"""A database of its own on the machine's real PostgreSQL, made for a test and dropped after it."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator

import psycopg2

PG = dict(host="127.0.0.1", port=5432, user="postgres", dbname="test")


@contextmanager
def fresh_database(prefix: str = "trial_assistant_") -> Iterator[str]:
    name = prefix + uuid.uuid4().hex[:8]
    conn = psycopg2.connect(**PG)
    conn.autocommit = True
    try:
        conn.cursor().execute(f"CREATE DATABASE {name}")
        yield name
        conn.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        conn.close()
