#!/usr/bin/env bash
# Start a private PostgreSQL cluster on 127.0.0.1:${COACH_PG_PORT:-55432} for the tests and
# print its URL. Uses Debian's postgresql binaries; the cluster lives under /tmp.
set -euo pipefail
port=${COACH_PG_PORT:-55432}
dir=${COACH_PG_DIR:-/tmp/coach-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

if ! as_pg "$bin/pg_isready -q -h 127.0.0.1 -p $port"; then
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir" && { [ "$(id -u)" != 0 ] || chown postgres "$dir"; }
    as_pg "$bin/initdb -D $dir -U coach --auth=trust" >/dev/null
  fi
  as_pg "$bin/pg_ctl -D $dir -l $dir/server.log -w -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
fi
echo "postgresql://coach@127.0.0.1:$port/postgres"
