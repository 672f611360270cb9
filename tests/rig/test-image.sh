#!/usr/bin/env bash
# Builds the test image offline on the engine at unix://DIR/docker.sock: a static busybox, FROM scratch.
#   test-image.sh DIR NAME
set -euo pipefail
dir=${1:?the engine folder}
name=${2:?the image name}
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$(command -v busybox)" "$context/busybox"
cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
DOCKERFILE
output=$(tar -C "$context" -c . | curl -sS --unix-socket "$dir/docker.sock" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @- "http://engine/build?t=$name&rm=1&forcerm=1")
if ! grep -q "Successfully tagged $name" <<<"$output"; then
    echo "Building the test image failed:" >&2
    echo "$output" >&2
    exit 1
fi
