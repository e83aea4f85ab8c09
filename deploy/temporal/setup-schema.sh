#!/bin/sh
# Creates (or brings up to date) the Temporal server's two PostgreSQL databases and their schemas
# with temporal-sql-tool. Run once before the server starts: by the compose `temporal-schema` job
# (temporalio/admin-tools image) and by the cluster tests' harness, so both get the same schema.
# Safe to run again: an existing database is kept and only missing schema versions are applied.
#
# temporal-sql-tool reads its connection from the environment: SQL_PLUGIN (postgres12), SQL_HOST,
# SQL_PORT, SQL_USER and SQL_PASSWORD. The schemas are the ones built into the tool.
set -eu

for name in SQL_PLUGIN SQL_HOST SQL_PORT SQL_USER; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "setup-schema: $name is not set (temporal-sql-tool's connection to PostgreSQL)" >&2
    exit 2
  fi
done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) schema=postgresql/v12/temporal ;;
    *) schema=postgresql/v12/visibility ;;
  esac
  temporal-sql-tool --db "$db" create
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema --schema-name "$schema"
  echo "setup-schema: $db is at the newest $schema version"
done
