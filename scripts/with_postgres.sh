#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on 127.0.0.1 (trust auth: tests only).
# Uses DATABASE_URL if it is already set (e.g. a developer's own server).
set -euo pipefail

if [[ -n "${DATABASE_URL:-}" ]]; then
    exec "$@"
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$pg_bin" ]]; then
    echo "PostgreSQL is not installed (run: make system-packages)." >&2
    exit 1
fi
port=${PAPITRACK_TEST_PG_PORT:-54329}
root=$(mktemp -d)
as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then
        su postgres -s /bin/bash -c "$*"
    else
        bash -c "$*"
    fi
}
[[ $(id -u) -eq 0 ]] && chown postgres "$root"
cleanup() {
    as_postgres "$pg_bin/pg_ctl -D $root/data stop -m fast" >/dev/null 2>&1 || true
    rm -rf "$root"
}
trap cleanup EXIT
as_postgres "$pg_bin/initdb -D $root/data -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust" >/dev/null
as_postgres "$pg_bin/pg_ctl -D $root/data -l $root/log -o '-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off' -w start" >/dev/null
as_postgres "$pg_bin/createdb -h 127.0.0.1 -p $port -U postgres papitrack"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/papitrack"
"$@"
