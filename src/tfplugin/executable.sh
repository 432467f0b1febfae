#!/bin/sh
# The plugin executable. Node reads NODE_EXTRA_CA_CERTS at every start, before any of our code
# runs, and that costs tens of milliseconds of CPU; most starts never open a TLS connection. The
# file is handed on as TFPLUGIN_EXTRA_CA_CERTS instead, for the code that does (extraCaCertificates).
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
  TFPLUGIN_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export TFPLUGIN_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi
# A fixed hash seed makes the V8 code cache the same bytes on every build, so the package's h1:
# hash is too; V8 accepts a cache only from a Node started with the same flags, so `make provider`
# writes it through this script as well. (The seed guards against hash flooding, which does not
# apply to a plugin that only its own Terraform talks to.)
case $0 in
  */*) exec node --hash-seed=1 "${0%/*}/launch.js" "$@" ;;
  *) exec node --hash-seed=1 "$(dirname "$(command -v "$0")")/launch.js" "$@" ;;
esac
