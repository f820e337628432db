"""The same features done right: Parapet reports nothing here."""

import secrets
import sqlite3

import jwt


def password_reset(conn: sqlite3.Connection, email: str) -> int:
    reset_code = secrets.randbelow(900000) + 100000
    conn.execute("UPDATE users SET reset_code = ? WHERE email = ?", (reset_code, email))
    return reset_code


def me(token: str, key: str) -> str:
    return jwt.decode(token, key, algorithms=["HS256"])["sub"]
