#!/usr/bin/env bash
# Starts or stops the rig's PostgreSQL (issue 16): a throw-away cluster in DIR, on 127.0.0.1:PORT only.
#   postgres.sh start DIR PORT    initdb in DIR (as the postgres user: the server refuses root), user dockerdash with a
#                                 generated password in DIR/password, password (SCRAM) logins over TCP only
#   postgres.sh stop DIR          stop it (fast: open sessions are ended)
# Durability is off (fsync, synchronous commit, full page writes): the cluster lives as long as the test run.
set -euo pipefail
command=${1:?start or stop}
dir=${2:?the PostgreSQL folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

case "$command" in
start)
    port=${3:?the port}
    mkdir -p "$dir"
    # The server runs as postgres: it must be able to pass through the rig's folder (not read it).
    chmod o+x "$(dirname "$dir")"
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
    chown -R postgres "$dir"
    chmod 700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U dockerdash --pwfile="$dir/password" --auth-host=scram-sha-256 \
        --auth-local=reject -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start -o \
        "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        >/dev/null || { tail -n 30 "$dir/postgres.log" >&2; exit 1; }
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null 2>&1 || true
    fi
    ;;
*)
    echo "start or stop" >&2
    exit 2
    ;;
esac
