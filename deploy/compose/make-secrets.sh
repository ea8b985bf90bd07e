#!/usr/bin/env bash
# Creates the key files docker-compose.yml mounts as secrets, once (existing files are kept).
# They stay on this machine: deploy/compose/secrets/ is git-ignored.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
umask 077
[ -f "$dir/oidc-signing.pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/oidc-signing.pem"
[ -f "$dir/oidc-encryption.pem" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/oidc-encryption.pem"
[ -f "$dir/snapshot-signing.pem" ] || openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/snapshot-signing.pem"
openssl pkey -in "$dir/snapshot-signing.pem" -pubout -out "$dir/snapshot-signing.pub.pem"
# The certificate the control plane encrypts its data-protection key ring with (at rest, on its volume).
[ -f "$dir/dataprotection.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=gateway-dataprotection" \
  -keyout "$dir/dataprotection.key.pem" -out "$dir/dataprotection.pem" 2>/dev/null
chmod 644 "$dir"/*.pem # read by the containers' non-root user (uid 1654)
echo "keys in $dir"
