"""The workspace database: engine set-up, tenant-scoped sessions, transactions, migrations.

Every session is bound to one business. Its SELECT, UPDATE and DELETE statements on tenant
tables are filtered to that business automatically, and a flush that would write a row of
another business is refused — isolation does not depend on each query remembering a filter.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from ..errors import Conflict, LumaError, PermissionDenied, WorkspaceError
from .models import TenantMixin

__all__ = ["Workspace", "sqlite_url"]

log = logging.getLogger(__name__)

SQLITE_FILE_NAME = "workspace.sqlite3"
_BUSINESS_KEY = "business_id"
_CRITERIA_KEY = "tenant_criteria"


def sqlite_url(data_dir: Path) -> str:
    """The URL of the default SQLite workspace inside ``data_dir``."""
    return f"sqlite:///{(data_dir / SQLITE_FILE_NAME).as_posix()}"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _tenant_criteria(business_id: int) -> Any:
    """The loader option that confines every tenant table to ``business_id``."""
    return with_loader_criteria(
        TenantMixin,
        lambda cls: cls.business_id == business_id,
        include_aliases=True,
    )


def _scope_statements(state: ORMExecuteState) -> None:
    criteria = state.session.info.get(_CRITERIA_KEY)
    if criteria is None or not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(criteria)


def _guard_flush(session: Session, _context: Any, _instances: Any) -> None:
    business_id = session.info.get(_BUSINESS_KEY)
    if business_id is None:
        return
    for obj in session.new:
        if isinstance(obj, TenantMixin):
            if obj.business_id is None:
                obj.business_id = business_id
            elif obj.business_id != business_id:
                raise PermissionDenied("That record belongs to another business.")
    for obj in session.dirty:
        if isinstance(obj, TenantMixin) and obj.business_id != business_id:
            raise PermissionDenied("That record belongs to another business.")


def _human_error(error: Exception, url: sa.URL) -> LumaError:
    """Turn a driver error into a message a shop owner can act on."""
    text = str(getattr(error, "orig", error)).lower()
    if (isinstance(error, OSError) and error.errno == errno.ENOSPC) or "disk is full" in text:
        return WorkspaceError(
            "The disk is full, so nothing was saved. Free some space and try again."
        )
    if "database is locked" in text or "could not obtain lock" in text:
        return WorkspaceError(
            "The workspace is busy with another change. Nothing was saved; try again in a moment."
        )
    if isinstance(error, exc.IntegrityError):
        return Conflict("That change clashes with an existing record, so nothing was saved.")
    if "unable to open database" in text or "readonly database" in text:
        return WorkspaceError(
            f"The workspace database {url.database} cannot be opened for writing. "
            "Check that the folder exists and is writable."
        )
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        where = url.render_as_string(hide_password=True)
        return WorkspaceError(f"The workspace database at {where} cannot be reached ({text}).")
    return WorkspaceError(f"The workspace database failed: {text}")


class Workspace:
    """A connection to one workspace database (SQLite file or PostgreSQL server)."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = sa.make_url(url)
        if self.url.get_backend_name() == "sqlite" and self.url.database not in (
            None,
            "",
            ":memory:",
        ):
            folder = Path(self.url.database or "").parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise WorkspaceError(
                    f"The workspace folder {folder} cannot be created ({error.strerror}). "
                    "Set LUMA_DATA_DIR to a writable folder."
                ) from error
        options: dict[str, Any] = {"echo": echo}
        if self.url.get_backend_name() == "postgresql":
            options["pool_pre_ping"] = True
        self.engine = sa.create_engine(self.url, **options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _configure_sqlite)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "do_orm_execute", _scope_statements)
        event.listen(self._sessions, "before_flush", _guard_flush)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, business_id: int | None) -> Session:
        """A session whose statements only see ``business_id``'s rows.

        ``None`` gives an unscoped session, for work across businesses (creating one,
        migrations, the demo seed's set-up, maintenance); services never use it.
        """
        session = self._sessions()
        session.info[_BUSINESS_KEY] = business_id
        if business_id is not None:
            session.info[_CRITERIA_KEY] = _tenant_criteria(business_id)
        return session

    @contextmanager
    def transaction(self, business_id: int | None) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back everything on any error."""
        session = self.session(business_id)
        try:
            with session.begin():
                yield session
        except LumaError:
            raise
        except (exc.SQLAlchemyError, OSError) as error:
            log.warning("workspace transaction failed: %s", error)
            raise _human_error(error, self.url) from error
        finally:
            session.close()

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with the Alembic migrations."""
        from .migrate import upgrade

        try:
            upgrade(self.engine, revision)
        except (exc.SQLAlchemyError, OSError) as error:
            raise _human_error(error, self.url) from error

    def current_revision(self) -> str | None:
        """The schema's Alembic revision, or ``None`` for an empty database."""
        from .migrate import current_revision

        try:
            return current_revision(self.engine)
        except (exc.SQLAlchemyError, OSError) as error:
            raise _human_error(error, self.url) from error

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()
