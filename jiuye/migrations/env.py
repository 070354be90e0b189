"""Alembic environment for the case ledger (run through actions.ledger.migrate)."""
from alembic import context
from sqlalchemy import create_engine

from jiuye.ledger import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
connectable = create_engine(url, future=True)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
connectable.dispose()
