"""Accounts: who may use the planner and as what. Four roles, each able to do what the one before
it may and more: a viewer reads; a planner saves plans and cohorts, uploads qualifications and
suggests equivalences; an analyst runs what-if studies and money; an admin approves, confirms
equivalences, manages users and reads the audit log.

Passwords are hashed with argon2 (argon2-cffi); API tokens are random, shown once, and kept only
as their SHA-256."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import InputError

from .db import Store
from .tables import ApiToken, LoginAttempt, User, now
from .work import audit

HASHER = PasswordHasher()
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,99}")
MIN_PASSWORD = 8
WINDOW = timedelta(minutes=15)  # login attempts counted over this time
MAX_FAILURES = 5  # failed logins of one name in the window, before it must wait
MAX_FAILURES_FROM = 20  # failed logins from one address in the window
TOKEN_PREFIX = "roc_"


class Role(str, Enum):
    viewer = "viewer"
    planner = "planner"
    analyst = "analyst"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def may(self, needed: "Role") -> bool:
        return self.rank >= needed.rank


@dataclass(frozen=True)
class Account:
    """Who is asking: a user, or the local single user of a planner with no accounts."""

    name: str
    role: Role

    def may(self, needed: Role) -> bool:
        return self.role.may(needed)


LOCAL = Account("local", Role.admin)  # 127.0.0.1 with no users: today's single-user planner


class TooManyAttempts(InputError):
    """Logins refused for a while after too many failures (HTTP 429)."""


def _checked_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise InputError(f"{name!r} is not a user name: letters, digits and . _ @ - (up to 100), starting with a "
                         "letter or digit", field="name")
    return name


def _checked_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password is {len(password)} characters; use at least {MIN_PASSWORD}",
                         field="password")
    return password


def _active_admins(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User).where(User.active, User.role == Role.admin.value)) or 0


def add_user(store: Store, name: str, role: Role, password: str, by: str = "roc users add") -> Account:
    _checked_password(password)
    with store.session() as s:
        if s.scalar(select(User).where(User.name == _checked_name(name))) is not None:
            raise InputError(f"there is already a user {name!r} (roc users list shows them)", field="name")
        s.add(User(name=name, role=role.value, password_hash=HASHER.hash(password), active=True))
        audit(s, by, "add user", f"user {name}", f"role {role.value}")
    return Account(name, role)


def change_user(store: Store, name: str, by: str, role: Role | None = None, active: bool | None = None,
                password: str | None = None) -> Account:
    """A user's new role, state or password (what is not given stays). Disabling a user ends
    their sessions and tokens within seconds (a server process trusts an account it looked up for
    3 s); the last active admin is never disabled or demoted (no one would be left to manage it)."""
    if password is not None:
        _checked_password(password)
    with store.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise InputError(f"no user {name!r} (roc users list shows them)", field="name")
        stays_admin = (role or Role(user.role)) is Role.admin and (active if active is not None else user.active)
        if user.active and user.role == Role.admin.value and not stays_admin and _active_admins(s) <= 1:
            raise InputError(f"{name} is the only active admin; add another admin first", field="name")
        changes = []
        if role is not None and role.value != user.role:
            user.role = role.value
            changes.append(f"role {role.value}")
        if active is not None and active != user.active:
            user.active = active
            changes.append("enabled" if active else "disabled")
        if password is not None:
            user.password_hash = HASHER.hash(password)
            changes.append("new password")
        audit(s, by, "change user", f"user {name}", ", ".join(changes) or "no change")
        return Account(user.name, Role(user.role))


def users(store: Store) -> list[tuple[str, Role, bool]]:
    with store.session() as s:
        return [(u.name, Role(u.role), u.active) for u in s.scalars(select(User).order_by(User.name))]


def has_users(store: Store) -> bool:
    with store.session() as s:
        return bool(s.scalar(select(func.count()).select_from(User).where(User.active)))


def has_admin(store: Store) -> bool:
    with store.session() as s:
        return _active_admins(s) > 0


def account(store: Store, name: str) -> Account | None:
    """The active user called `name`, or None."""
    with store.session() as s:
        user = s.scalar(select(User).where(User.name == name, User.active))
        return Account(user.name, Role(user.role)) if user else None


def log_in(store: Store, name: str, password: str, address: str) -> Account | None:
    """The account, if `password` is its own; None if not. Past MAX_FAILURES failed attempts for
    the name (or MAX_FAILURES_FROM from the address) within WINDOW, every attempt is refused
    until the window has passed, whether the password is right or not."""
    with store.session() as s:
        since = now() - WINDOW
        failures = lambda *where: s.scalar(select(func.count()).select_from(LoginAttempt).where(  # noqa: E731
            LoginAttempt.ok.is_(False), LoginAttempt.at >= since, *where)) or 0
        if failures(LoginAttempt.name == name) >= MAX_FAILURES or \
                failures(LoginAttempt.address == address) >= MAX_FAILURES_FROM:
            raise TooManyAttempts(f"too many failed logins; try again in {WINDOW.seconds // 60} minutes",
                                  field="password")
        user = s.scalar(select(User).where(User.name == name[:100], User.active))
        ok = _verified(user.password_hash if user else None, password)
        s.add(LoginAttempt(name=name[:100], address=address[:60], ok=ok))
        if ok and user is not None:
            audit(s, user.name, "log in", f"user {user.name}", None)
            return Account(user.name, Role(user.role))
        return None


def _verified(stored: str | None, password: str) -> bool:
    try:  # with no such user, a hash is still checked, so the answer takes as long either way
        return HASHER.verify(stored or _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy() -> str:
    """A hash no password matches, made at the first login, not when the module loads."""
    return HASHER.hash(secrets.token_hex(16))


def create_token(store: Store, name: str, label: str = "script") -> str:
    """A new API token for the user `name` (printed once; only its hash is kept)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with store.session() as s:
        user = s.scalar(select(User).where(User.name == name, User.active))
        if user is None:
            raise InputError(f"no user {name!r} (add one with roc users add)", field="name")
        s.add(ApiToken(user_id=user.id, label=label[:100], token_hash=_digest(token)))
        audit(s, name, "create token", f"user {name}", label[:100])
    return token


def token_account(store: Store, token: str) -> Account | None:
    with store.session() as s:
        found = s.execute(select(User.name, User.role).join(ApiToken, ApiToken.user_id == User.id)
                          .where(ApiToken.token_hash == _digest(token), User.active)).first()
        return Account(found[0], Role(found[1])) if found else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
