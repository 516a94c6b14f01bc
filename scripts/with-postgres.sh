#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL: initdb in a temporary directory, start it on
# a free local port, export BAOMI_DATABASE_URL, run "$@", stop and remove the cluster.
# Installs Debian's postgresql when no server binaries are found (needs root, as in CI).
set -euo pipefail

find_bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(readlink -f "$(command -v initdb)")" && return 0
  return 1
}

BINDIR=$(find_bindir || true)
if [ -z "$BINDIR" ]; then
  echo "with-postgres: installing postgresql from apt" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  BINDIR=$(find_bindir)
fi

RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  RUN_AS=(runuser -u postgres --)
fi

PGTMP=$(mktemp -d /tmp/baomi-pg.XXXXXX)
chmod 755 "$PGTMP"
[ "${#RUN_AS[@]}" -gt 0 ] && chown postgres "$PGTMP"
PORT=${BAOMI_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}

cleanup() {
  "${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$BINDIR/initdb" -D "$PGTMP/data" -U baomi --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$BINDIR/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U baomi baomi

export BAOMI_DATABASE_URL="postgres://baomi@127.0.0.1:$PORT/baomi"
echo "with-postgres: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on port $PORT" >&2
"$@"
