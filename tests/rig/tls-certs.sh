#!/usr/bin/env bash
# Makes the certificates of the rig engine's TLS listener with openssl (EC keys: fast):
#   DIR/tls/        ca.pem, server-cert.pem (for IP 127.0.0.1, server authentication), server-key.pem
#   DIR/tls-client/ ca.pem, cert.pem, key.pem (client authentication): a TlsCertPath for DockerDash
set -euo pipefail
dir=${1:?the engine folder}
server=$dir/tls
client=$dir/tls-client
mkdir -p "$server" "$client"
chmod 700 "$server" "$client"
key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }
key "$server/ca-key.pem"
openssl req -x509 -new -key "$server/ca-key.pem" -subj "/CN=dockerdash-test-ca" -days 3 -out "$server/ca.pem" 2>/dev/null
issue() { # issue KEY CERT SUBJECT EXTENSIONS
    openssl req -new -key "$1" -subj "/CN=$3" 2>/dev/null |
        openssl x509 -req -CA "$server/ca.pem" -CAkey "$server/ca-key.pem" -CAcreateserial -days 3 -out "$2" \
            -extfile <(printf '%s\n' "$4") 2>/dev/null
}
key "$server/server-key.pem"
issue "$server/server-key.pem" "$server/server-cert.pem" "dockerdash-test-engine" \
    "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth
keyUsage=digitalSignature,keyAgreement"
key "$client/key.pem"
issue "$client/key.pem" "$client/cert.pem" "dockerdash-test-client" \
    "extendedKeyUsage=clientAuth
keyUsage=digitalSignature,keyAgreement"
cp "$server/ca.pem" "$client/ca.pem"
