#!/usr/bin/env bash
# Starts or stops the rig's Podman engine: Debian's podman serving its Docker-compatible API (issue 20).
#   podman.sh start DIR IMAGE REGISTRY   its own storage, run and temp folders in DIR, the API on unix://DIR/podman.sock,
#                                        containers with no network and the ulimits these machines need, REGISTRY
#                                        (127.0.0.1:port) allowed over plain HTTP, and the test image IMAGE imported
#                                        from this machine's static busybox
#   podman.sh stop DIR                   remove its containers, stop it, unmount what it left
set -euo pipefail
command=${1:?start or stop}
dir=${2:?the podman folder}

# Every podman of this folder (the service, and the CLI below) reads these; nothing outside DIR is used.
export CONTAINERS_CONF=$dir/containers.conf CONTAINERS_STORAGE_CONF=$dir/storage.conf CONTAINERS_REGISTRIES_CONF=$dir/registries.conf
podman_here() { podman --root "$dir/root" --runroot "$dir/run" --tmpdir "$dir/tmp" "$@"; }

case "$command" in
start)
    image=${3:?the test image name}
    registry=${4:?the registry address}
    mkdir -p "$dir/root" "$dir/run" "$dir/tmp"
    # These machines refuse the default (unlimited) nofile and nproc limits; containers get no network at all.
    cat >"$dir/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
EOF
    cat >"$dir/storage.conf" <<EOF
[storage]
driver = "overlay"
runroot = "$dir/run"
graphroot = "$dir/root"
EOF
    cat >"$dir/registries.conf" <<EOF
unqualified-search-registries = []
[[registry]]
location = "$registry"
insecure = true
EOF
    setsid podman --root "$dir/root" --runroot "$dir/run" --tmpdir "$dir/tmp" system service --time=0 "unix://$dir/podman.sock" \
        >>"$dir/service.log" 2>&1 </dev/null &
    echo $! >"$dir/service.pid"
    ready=""
    for _ in $(seq 1 80); do
        if curl -sf --unix-socket "$dir/podman.sock" http://engine/_ping >/dev/null 2>&1; then
            ready=yes
            break
        fi
        sleep 0.25
    done
    if [ -z "$ready" ]; then
        echo "Podman's API did not answer within 20 s. Its log:" >&2
        tail -n 30 "$dir/service.log" >&2
        exit 1
    fi
    # The same test image as the Docker engine's: busybox and its applets, FROM nothing, imported offline.
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp"
    cp "$(command -v busybox)" "$rootfs/bin/busybox"
    for applet in $(busybox --list); do
        [ "$applet" = busybox ] || ln -s /bin/busybox "$rootfs/bin/$applet"
    done
    repository=${image%:*}
    tag=${image##*:}
    output=$(tar -C "$rootfs" -c . | curl -sS --unix-socket "$dir/podman.sock" -X POST -H 'Content-Type: application/x-tar' --data-binary @- \
        "http://engine/v1.41/images/create?fromSrc=-&repo=$repository&tag=$tag&changes=CMD%20%5B%22%2Fbin%2Fsh%22%5D")
    if ! grep -q '"id":"sha256:' <<<"$output"; then
        echo "Importing the test image into Podman failed: $output" >&2
        exit 1
    fi
    ;;
stop)
    [ -d "$dir" ] || exit 0
    podman_here rm --all --force --time 0 >/dev/null 2>&1 || true
    if [ -f "$dir/service.pid" ]; then
        kill "$(cat "$dir/service.pid")" 2>/dev/null || true
    fi
    # A conmon may outlive its container (seen: one of an exec session); any left of this folder is ours to end.
    pkill -KILL -f "^/usr/bin/conmon .*$dir/" 2>/dev/null || true
    grep -o " $dir/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    ;;
esac
