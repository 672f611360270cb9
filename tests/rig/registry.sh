#!/usr/bin/env bash
# Starts a CNCF distribution registry on 127.0.0.1:PORT with its own config and storage under DIR.
# Debian's shipped config is never used (its htpasswd path breaks every request with credentials).
#   registry.sh DIR PORT [MODE [ISSUER_PORT]]   prints nothing; the registry answers on http://127.0.0.1:PORT/v2/
# MODE: open (default); basic (htpasswd with bcrypt, user "tester", password "tester-password");
#       nodelete (open, deletion disabled); token (bearer tokens from an issuer the tests run on
#       127.0.0.1:ISSUER_PORT, signed with DIR/token.key whose certificate DIR/token.crt is the root bundle).
# The catalog is paged by at most 1,000 names (the default).
set -euo pipefail
dir=${1:?the registry folder}
port=${2:?the port}
mode=${3:-open}
mkdir -p "$dir/storage"
delete=true
auth=""
case "$mode" in
    open) ;;
    nodelete) delete=false ;;
    basic)
        htpasswd -nbB tester tester-password | head -n 1 >"$dir/htpasswd"
        auth="auth:
  htpasswd:
    realm: dockerdash-test
    path: $dir/htpasswd"
        ;;
    token)
        issuer_port=${4:?the token issuer port}
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/token.key" -out "$dir/token.crt" -days 3 -subj "/CN=dockerdash-test-issuer" >/dev/null 2>&1
        auth="auth:
  token:
    realm: http://127.0.0.1:$issuer_port/token
    service: dockerdash-test-registry
    issuer: dockerdash-test-issuer
    rootcertbundle: $dir/token.crt"
        ;;
    *) echo "unknown registry mode $mode" >&2; exit 2 ;;
esac
cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: $delete
http:
  addr: 127.0.0.1:$port
$auth
YAML
setsid docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 </dev/null &
echo $! >"$dir/registry.pid"
exec "$(dirname "$0")/await-ready.sh" "The registry on 127.0.0.1:$port" 20 "$dir/registry.log" -- \
    sh -c "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/v2/ | grep -qE '^(200|401)\$'"
