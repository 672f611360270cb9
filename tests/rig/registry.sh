#!/usr/bin/env bash
# Starts a CNCF distribution registry on 127.0.0.1:PORT with its own config and storage under DIR.
# Debian's shipped config is never used (its htpasswd path breaks every request with credentials).
#   registry.sh DIR PORT      prints nothing; the registry answers on http://127.0.0.1:PORT/v2/
set -euo pipefail
dir=${1:?the registry folder}
port=${2:?the port}
mkdir -p "$dir/storage"
cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
setsid docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
echo $! >"$dir/registry.pid"
for _ in $(seq 1 80); do
    if curl -sf "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then
        exit 0
    fi
    sleep 0.25
done
echo "The registry did not answer on 127.0.0.1:$port within 20 s. Its log:" >&2
tail -n 30 "$dir/registry.log" >&2
exit 1
