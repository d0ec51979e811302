#!/bin/sh
# One-shot job (temporalio/admin-tools): creates Temporal's two PostgreSQL databases and brings their schemas to the
# version this admin-tools release ships. Safe to run again: existing databases are kept, only newer schema versions
# are applied. Connection from the environment: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD (temporal-sql-tool reads them).
set -eu
: "${SQL_HOST:?}" "${SQL_PORT:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
SCHEMA_ROOT=/etc/temporal/schema/postgresql/v12

echo "waiting for PostgreSQL at ${SQL_HOST}:${SQL_PORT}"
until nc -z -w 2 "$SQL_HOST" "$SQL_PORT"; do sleep 1; done

for pair in temporal:temporal temporal_visibility:visibility; do
  db=${pair%%:*}
  dir=${pair#*:}
  # `create` fails when the database exists (a re-run); the next two commands fail loudly on any real problem.
  temporal-sql-tool --plugin postgres12 --db "$db" create || echo "database $db exists already"
  temporal-sql-tool --plugin postgres12 --db "$db" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --db "$db" update-schema -d "$SCHEMA_ROOT/$dir/versioned"
  echo "database $db: schema up to date"
done
