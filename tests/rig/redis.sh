#!/usr/bin/env bash
# Starts or stops the rig's Redis (issue 16): the replicas' backplane and signals, on 127.0.0.1:PORT only.
#   redis.sh start DIR PORT    redis-server with a generated password in DIR/password, nothing saved to disk
#   redis.sh stop DIR          stop it
set -euo pipefail
command=${1:?start or stop}
dir=${2:?the Redis folder}

case "$command" in
start)
    port=${3:?the port}
    mkdir -p "$dir"
    chmod 700 "$dir"
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
    cat >"$dir/redis.conf" <<CONF
bind 127.0.0.1
port $port
protected-mode yes
requirepass $(cat "$dir/password")
dir $dir
pidfile $dir/redis.pid
logfile $dir/redis.log
daemonize yes
save ""
appendonly no
CONF
    redis-server "$dir/redis.conf"
    exec "$(dirname "$0")/await-ready.sh" "redis-server on 127.0.0.1:$port" 20 "$dir/redis.log" -- \
        redis-cli -h 127.0.0.1 -p "$port" --no-auth-warning -a "$(cat "$dir/password")" ping
    ;;
stop)
    if [ -f "$dir/redis.pid" ]; then
        kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    fi
    ;;
*)
    echo "start or stop" >&2
    exit 2
    ;;
esac
