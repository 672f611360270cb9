#!/usr/bin/env bash
# Sourced by tests/run and bench/run: installs what is missing, starts the private engine, the offline
# test image and a registry on 127.0.0.1, exports DOCKERDASH_TEST_* for the programs that use them,
# and stops and removes everything on exit.
rig_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

rig_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# apt-get install, with its package lists read once per run. No fsync per file (a test machine's packages, as
# container images install theirs), and needrestart, which docker.io brings, is not asked to look for services to
# restart after each install.
rig_apt_updated=""
rig_apt_install() {
    [ -n "$rig_apt_updated" ] || { rig_as_root apt-get update -q; rig_apt_updated=1; }
    rig_as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -q -o Dpkg::Options::=--force-unsafe-io "$@" >/dev/null
}

# What building DockerDash needs besides the SDK (npm, for the browser libraries it serves), first of all, so that
# tests/run can build while the rest installs and starts.
rig_install_build_tools() {
    command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed (dotnet on PATH); see README." >&2; exit 1; }
    [ "$(id -u)" -eq 0 ] || { echo "The private Docker engine needs root: run this as root or with sudo." >&2; exit 1; }
    if ! command -v npm >/dev/null; then
        echo "== installing nodejs npm"
        rig_apt_install nodejs npm
    fi
}

rig_install() {
    # Installed with what Debian recommends beside them:
    local missing=()
    command -v dockerd >/dev/null || missing+=(docker.io)
    command -v docker-registry >/dev/null || missing+=(docker-registry)
    command -v busybox >/dev/null || missing+=(busybox-static)
    command -v curl >/dev/null || missing+=(curl)
    command -v ss >/dev/null || missing+=(iproute2)
    command -v htpasswd >/dev/null || missing+=(apache2-utils)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v pkill >/dev/null || missing+=(procps)
    command -v npm >/dev/null || missing+=(nodejs npm)
    command -v docker-compose >/dev/null || missing+=(docker-compose)
    [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
    command -v ssh-keygen >/dev/null || missing+=(openssh-client)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v redis-server >/dev/null || missing+=(redis-server)
    [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    # Installed alone, without what they recommend for a desktop or rootless use (a third of the packages and of the
    # install's time: printer setup, Samba, notification and power daemons for Chromium; buildah, slirp4netns and
    # fuse-overlayfs for Podman, which here runs as root on the kernel's overlayfs; Prometheus's exporters), but
    # with the fonts the pages are drawn in:
    local lean=()
    command -v chromium >/dev/null || lean+=(chromium fonts-liberation)
    command -v podman >/dev/null || lean+=(podman)
    command -v prometheus >/dev/null || lean+=(prometheus)
    if [ ${#missing[@]} -gt 0 ] || [ ${#lean[@]} -gt 0 ]; then
        echo "== installing ${missing[*]} ${lean[*]}"
        [ ${#missing[@]} -eq 0 ] || rig_apt_install "${missing[@]}"
        [ ${#lean[@]} -eq 0 ] || rig_apt_install --no-install-recommends "${lean[@]}"
    fi
    rig_install_build_tools
}

rig_stop() {
    if [ -n "$rig_background" ]; then kill -TERM -- "-$rig_background" 2>/dev/null || true; fi
    rm -f "$rig_background_log"
    [ -n "$rig_work" ] || return 0
    for registry in registry registry-basic registry-nodelete registry-token; do
        if [ -f "$rig_work/$registry/registry.pid" ]; then kill "$(cat "$rig_work/$registry/registry.pid")" 2>/dev/null || true; fi
    done
    "$rig_dir/sshd.sh" stop "$rig_work/sshd" || true
    "$rig_dir/postgres.sh" stop "$rig_work/postgres" || true
    "$rig_dir/redis.sh" stop "$rig_work/redis" || true
    # nginx in front of replicas is started by a browser test in the rig's folder: gone with its test host, normally.
    pkill -f -- "$rig_work/nginx-" 2>/dev/null || true
    "$rig_dir/podman.sh" stop "$rig_work/podman" || true
    "$rig_dir/engine.sh" stop "$rig_work/engine" || true
    rm -rf "$rig_work" 2>/dev/null || true
}

# A port nothing listens on now, and none handed out before in this run.
rig_ports_taken=" "
# Below the kernel's ephemeral range, so that no outgoing connection holds it by the time a service binds it
# (seen: a registry refused with "address already in use" for a port that an outgoing socket had taken).
rig_free_port() {
    local port low
    low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$low" -gt 12000 ] || low=32768
    while true; do
        port=$((10000 + RANDOM % (low - 10000)))
        case "$rig_ports_taken" in *" $port "*) continue ;; esac
        if ! ss -Htan "sport = :$port" | grep -q .; then
            rig_ports_taken+="$port "
            echo "$port"
            return
        fi
    done
}

# Runs a command in its own process group in the background and waits for it, so that Ctrl-C or
# SIGTERM reach the traps below at once (bash defers a trap until a foreground command ends) and the
# whole group (dotnet test and its test hosts) can be ended from there.
rig_child=""
rig_background=""
rig_background_log=""
rig_work=""
rig_run() {
    setsid "$@" &
    rig_child=$!
    local code=0
    wait "$rig_child" || code=$?
    rig_child=""
    return "$code"
}

# Runs a command in its own process group in the background, its output into a file, while the script goes on (one at
# a time: tests/run's build while the rig installs and starts); rig_wait_background waits for it and prints its output.
# An interrupt or exit ends it with the rest.
rig_start_background() {
    rig_background_log=$(mktemp)
    setsid "$@" >"$rig_background_log" 2>&1 &
    rig_background=$!
}

rig_wait_background() {
    local code=0
    wait "$rig_background" || code=$?
    rig_background=""
    cat "$rig_background_log"
    rm -f "$rig_background_log"
    return "$code"
}

rig_interrupted() {
    local group
    for group in $rig_child $rig_background; do kill -TERM -- "-$group" 2>/dev/null || true; done
    if [ -n "$rig_child$rig_background" ]; then
        sleep 1
        for group in $rig_child $rig_background; do kill -KILL -- "-$group" 2>/dev/null || true; done
        rig_background=""
    fi
    exit 130
}

# From here on, an exit or interrupt stops and removes whatever the rig started (and a background command).
rig_traps() {
    trap 'code=$?; rig_stop; exit $code' EXIT
    trap rig_interrupted INT TERM
}

rig_start() {
    rig_traps
    rig_work=$(mktemp -d /tmp/ddrig.XXXXXX)
    echo "== starting a private Docker engine in $rig_work/engine"
    local started
    started=$(date +%s%N)
    mkdir -p "$rig_work/engine"
    "$rig_dir/tls-certs.sh" "$rig_work/engine"
    rig_free_port >"$rig_work/engine/tls-port"
    "$rig_dir/engine.sh" start "$rig_work/engine"
    echo "   ready in $(( ($(date +%s%N) - started) / 1000000 )) ms"
    local ssh_port
    ssh_port=$(rig_free_port)
    echo "== starting sshd on 127.0.0.1:$ssh_port, the way to the engine for ssh:// engines"
    "$rig_dir/sshd.sh" start "$rig_work/sshd" "$ssh_port"
    local pg_port redis_port
    pg_port=$(rig_free_port)
    redis_port=$(rig_free_port)
    echo "== starting PostgreSQL on 127.0.0.1:$pg_port and Redis on 127.0.0.1:$redis_port (replicas' database and backplane)"
    "$rig_dir/postgres.sh" start "$rig_work/postgres" "$pg_port"
    "$rig_dir/redis.sh" start "$rig_work/redis" "$redis_port"
    echo "== building the offline test image"
    "$rig_dir/test-image.sh" "$rig_work/engine" dockerdash-test/busybox:latest
    local port basic nodelete token issuer
    port=$(rig_free_port)
    basic=$(rig_free_port)
    nodelete=$(rig_free_port)
    token=$(rig_free_port)
    issuer=$(rig_free_port)
    echo "== starting registries on 127.0.0.1: $port (open), $basic (htpasswd), $nodelete (deletion disabled), $token (tokens from :$issuer)"
    "$rig_dir/registry.sh" "$rig_work/registry" "$port"
    echo "== starting Podman's Docker-compatible API in $rig_work/podman"
    "$rig_dir/podman.sh" start "$rig_work/podman" dockerdash-test/busybox:latest "127.0.0.1:$port"
    "$rig_dir/registry.sh" "$rig_work/registry-basic" "$basic" basic
    "$rig_dir/registry.sh" "$rig_work/registry-nodelete" "$nodelete" nodelete
    "$rig_dir/registry.sh" "$rig_work/registry-token" "$token" token "$issuer"

    export DOCKERDASH_TEST_ENGINE_DIR=$rig_work/engine
    export DOCKERDASH_TEST_ENGINE=unix://$rig_work/engine/docker.sock
    DOCKERDASH_TEST_ENGINE_TLS=tcp://127.0.0.1:$(cat "$rig_work/engine/tls-port")
    export DOCKERDASH_TEST_ENGINE_TLS
    export DOCKERDASH_TEST_ENGINE_TLS_CERTS=$rig_work/engine/tls-client
    export DOCKERDASH_TEST_ENGINE_SSH=ssh://$(id -un)@127.0.0.1:$ssh_port
    export DOCKERDASH_TEST_ENGINE_SSH_DIR=$rig_work/sshd
    export DOCKERDASH_TEST_ENGINE_PODMAN=unix://$rig_work/podman/podman.sock
    export DOCKERDASH_TEST_IMAGE=dockerdash-test/busybox:latest
    export DOCKERDASH_TEST_REGISTRY=127.0.0.1:$port
    export DOCKERDASH_TEST_REGISTRY_BASIC=127.0.0.1:$basic
    export DOCKERDASH_TEST_REGISTRY_NODELETE=127.0.0.1:$nodelete
    export DOCKERDASH_TEST_REGISTRY_TOKEN=127.0.0.1:$token
    export DOCKERDASH_TEST_TOKEN_ISSUER_PORT=$issuer
    export DOCKERDASH_TEST_TOKEN_KEY=$rig_work/registry-token/token.key
    export DOCKERDASH_TEST_TOKEN_CERT=$rig_work/registry-token/token.crt
    DOCKERDASH_TEST_CHROMIUM=$(command -v chromium)
    export DOCKERDASH_TEST_CHROMIUM
    export DOCKERDASH_TEST_RIG=$rig_dir
    DOCKERDASH_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=dockerdash;Password=$(cat "$rig_work/postgres/password")"
    export DOCKERDASH_TEST_POSTGRES
    DOCKERDASH_TEST_REDIS="127.0.0.1:$redis_port,password=$(cat "$rig_work/redis/password")"
    export DOCKERDASH_TEST_REDIS
    export DOCKERDASH_TEST_NGINX=/usr/sbin/nginx
    export DOCKERDASH_TEST_RESULTS=$rig_work/results
}
