#!/bin/sh
# The plugin executable. Node reads NODE_EXTRA_CA_CERTS at every start, before any of our code
# runs, and that costs tens of milliseconds of CPU; most starts never open a TLS connection. The
# file is handed on as TFPLUGIN_EXTRA_CA_CERTS instead, for the code that does (extraCaCertificates).
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
  TFPLUGIN_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
  export TFPLUGIN_EXTRA_CA_CERTS
  unset NODE_EXTRA_CA_CERTS
fi
case $0 in
  */*) exec node "${0%/*}/launch.js" "$@" ;;
  *) exec node "$(dirname "$(command -v "$0")")/launch.js" "$@" ;;
esac
