#!/usr/bin/env bash
# Starts or stops the private Docker engine of a test run: its own data root, socket and pid file,
# no bridge network and no iptables rules, so it never touches an engine that was already running
# and its containers send no traffic anywhere (they run with network none or host).
#   engine.sh start DIR    start dockerd on unix://DIR/docker.sock and wait until it answers; when DIR/tls-port
#                          exists (see tls-certs.sh), also on tcp://127.0.0.1:PORT with --tlsverify
#   engine.sh stop DIR     remove its containers, stop it (SIGTERM, then SIGKILL after 20 s), end any
#                          containerd or shim process it left, and unmount what it left
set -euo pipefail
command=${1:?start or stop}
dir=${2:?the engine folder}

case "$command" in
start)
    mkdir -p "$dir"
    # A killed engine leaves pid files behind (its own and its containerd's) whose processes are gone
    # or zombies that nobody reaps here; dockerd would take them as running and refuse to start, or
    # wait for a containerd that never answers. A live containerd of this folder is ours alone to end.
    for pidfile in "$dir/docker.pid" "$dir/exec/containerd/containerd.pid"; do
        [ -f "$pidfile" ] || continue
        old=$(cat "$pidfile")
        state=$(awk '{print $3}' "/proc/$old/stat" 2>/dev/null || echo gone)
        if [ "$state" != gone ] && [ "$state" != Z ] && [ "$pidfile" != "$dir/docker.pid" ]; then
            kill -9 "$old" 2>/dev/null || true
            state=gone
        fi
        if [ "$state" = gone ] || [ "$state" = Z ]; then
            rm -f "$pidfile"
        fi
    done
    tls=()
    if [ -f "$dir/tls-port" ]; then
        tls=(-H "tcp://127.0.0.1:$(cat "$dir/tls-port")" --tlsverify --tlscacert "$dir/tls/ca.pem"
            --tlscert "$dir/tls/server-cert.pem" --tlskey "$dir/tls/server-key.pem")
    fi
    setsid dockerd --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
        -H "unix://$dir/docker.sock" "${tls[@]}" --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
        >>"$dir/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 240); do
        if curl -sf --unix-socket "$dir/docker.sock" http://engine/_ping >/dev/null 2>&1; then
            exit 0
        fi
        sleep 0.25
    done
    echo "The private Docker engine did not answer within 60 s. The end of its log:" >&2
    tail -n 30 "$dir/dockerd.log" >&2
    exit 1
    ;;
stop)
    pid=$(cat "$dir/docker.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        # Containers first, all at once (SIGKILL: nothing in them is worth waiting for), so the engine's
        # own shutdown has nothing to wait on.
        docker -H "unix://$dir/docker.sock" ps -aq 2>/dev/null | xargs -r docker -H "unix://$dir/docker.sock" rm -f >/dev/null 2>&1 || true
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 80); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    # A killed engine leaves its containerd and the shims of its containers running: every process whose
    # command line names this folder is ours (the shims are started with -address DIR/exec/...).
    pkill -KILL -f -- "$dir/" 2>/dev/null || true
    # Whatever the engine left mounted under its folder (a SIGKILL leaves overlay mounts behind).
    grep -o " $dir/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
    ;;
*)
    echo "usage: engine.sh start|stop DIR" >&2
    exit 2
    ;;
esac
