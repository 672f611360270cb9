#!/usr/bin/env bash
# Waits until a rig service answers:   await-ready.sh WHAT SECONDS LOG -- COMMAND [ARGS...]
# Runs COMMAND every quarter second until it succeeds (exit 0); after SECONDS says that WHAT did not answer,
# prints the end of LOG and exits 1.
set -uo pipefail
what=${1:?what is awaited} seconds=${2:?seconds} log=${3:?its log}
shift 3
[ "${1:-}" = "--" ] && shift
for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then
        exit 0
    fi
    sleep 0.25
done
echo "$what did not answer within $seconds s. The end of its log:" >&2
tail -n 30 "$log" >&2
exit 1
