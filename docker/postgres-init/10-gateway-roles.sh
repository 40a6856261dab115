#!/bin/sh
# PCI DSS 7.2.5 / 10.3.2: two roles, neither a superuser, created once when the cluster is initialised.
#   gateway_owner  owns the database and its schema: runs the migrations (MIGRATION_DATABASE_URL), nothing else.
#   gateway_app    what the gateway runs as (DATABASE_URL): reads and writes rows, cannot ALTER or DROP a
#                  table, cannot drop or disable the audit log's append-only triggers (only an owner can).
# The superuser (POSTGRES_USER) is used by this script only; no service connects as it.
set -eu
: "${GATEWAY_OWNER_PASSWORD:?set GATEWAY_OWNER_PASSWORD}"
: "${GATEWAY_APP_PASSWORD:?set GATEWAY_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_pw="$GATEWAY_OWNER_PASSWORD" -v app_pw="$GATEWAY_APP_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE gateway_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_pw';
CREATE ROLE gateway_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD :'app_pw';
-- The gateway's named hot statements planned once per connection (docs/performance.md, "PostgreSQL per pay").
ALTER ROLE gateway_app SET plan_cache_mode = force_generic_plan;
ALTER DATABASE :"db" OWNER TO gateway_owner;
ALTER SCHEMA public OWNER TO gateway_owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO gateway_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO gateway_app;
-- Every table and sequence the owner's migrations create: rows only, never the table itself.
ALTER DEFAULT PRIVILEGES FOR ROLE gateway_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gateway_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gateway_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO gateway_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gateway_owner IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO gateway_app;
SQL
