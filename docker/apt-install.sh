#!/bin/sh
# apt-install.sh PACKAGE...: installs Debian/Ubuntu packages for an image build and drops apt's lists afterwards.
# The build argument EXTRA_CA_CERTS (PEM text, one or more certificates) is added to the system's and Java's trust
# stores first, for builds behind a TLS-inspecting proxy, where Maven Central and PyPI are otherwise unreachable.
set -eu
if [ -n "${EXTRA_CA_CERTS:-}" ]; then
  mkdir -p /usr/local/share/ca-certificates
  # one file per certificate: update-ca-certificates (and Java's store with it) takes only the first of a bundle
  printf '%s\n' "$EXTRA_CA_CERTS" | awk '
    /-----BEGIN CERTIFICATE-----/ { n++; file = sprintf("/usr/local/share/ca-certificates/extra-%d.crt", n) }
    n { print > file }'
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates "$@"
update-ca-certificates
rm -rf /var/lib/apt/lists/*
