#!/usr/bin/env bash
# Checks that an interrupted test run leaves nothing behind: starts ./tests/run, sends it SIGINT (as Ctrl-C
# does, to its whole process group) once the integration tests have containers running, waits for it to
# end, then counts the processes whose command line names the rig's folder (dockerd, containerd, shims,
# registries) and the folder itself. Prints what it found; exits 1 if anything is left.
#   tests/rig/interrupt-check.sh [SIGNAL]     (INT by default; TERM works the same)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
signal=${1:-INT}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cd "$root"
# Job control: the run gets a process group of its own, with SIGINT not ignored (as a terminal's foreground job).
set -m
./tests/run --filter "FullyQualifiedName~PermissionMatrix" >"$log" 2>&1 &
run=$!
set +m

rig=""
for _ in $(seq 1 1200); do
    rig=${rig:-$(sed -n 's|^== starting a private Docker engine in \(.*\)/engine$|\1|p' "$log")}
    if [ -n "$rig" ] && grep -q '^== tests/DockerDash.IntegrationTests' "$log" \
        && [ -n "$(docker -H "unix://$rig/engine/docker.sock" ps -q 2>/dev/null)" ]; then
        break
    fi
    kill -0 "$run" 2>/dev/null || { echo "the test run ended before any container ran:"; tail -20 "$log"; exit 1; }
    sleep 0.25
done
[ -n "$rig" ] || { echo "the rig never started:"; tail -20 "$log"; exit 1; }
running=$(docker -H "unix://$rig/engine/docker.sock" ps -q | wc -l)
echo "interrupting the run (SIG$signal) with $running container(s) running under $rig"
kill "-$signal" -- "-$run"
code=0
wait "$run" || code=$?
left=$(pgrep -af -- "$rig/" || true)
echo "the run exited with $code; its last lines:"; tail -n 4 "$log"
if [ -n "$left" ] || [ -e "$rig" ]; then
    echo "left behind:"
    [ -n "$left" ] && echo "$left"
    [ -e "$rig" ] && echo "the folder $rig"
    exit 1
fi
echo "nothing left: no dockerd, containerd, shim, registry, sshd, podman, conmon or container process, and no folder"
