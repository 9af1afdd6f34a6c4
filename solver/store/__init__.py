"""The planner's memory: saved work, accounts and review in a database (SQLAlchemy 2, Alembic
migrations), beside a data folder for files. Used by the faces (the CLI's `roc serve`, `roc users`,
`roc tokens`, `roc db`, and the web planner); it imports only the domain."""

from .accounts import LOCAL, Account, Role, TooManyAttempts
from .db import HEAD, Store, StoreError, data_folder
from .work import NotFound

__all__ = ["HEAD", "LOCAL", "Account", "NotFound", "Role", "Store", "StoreError", "TooManyAttempts", "data_folder"]
