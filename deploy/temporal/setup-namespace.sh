#!/bin/sh
# Makes a fresh Temporal server ready for the worker with the temporal CLI: waits until the
# frontend answers its health check, creates the namespace (a real server creates none), and
# registers the search attributes the vchaFailover workflow upserts. Run by the compose
# `temporal-setup` job (temporalio/admin-tools image) and by the cluster tests' harness, so both
# set up the server the same way. Safe to run again: an existing namespace or attribute is kept.
#
# Reads TEMPORAL_ADDRESS (the CLI's own variable), TEMPORAL_NAMESPACE and
# TEMPORAL_NAMESPACE_RETENTION (e.g. 72h).
set -eu
: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is not set (the frontend to set up)}"
: "${TEMPORAL_NAMESPACE:?TEMPORAL_NAMESPACE is not set (the namespace the worker uses)}"
: "${TEMPORAL_NAMESPACE_RETENTION:?TEMPORAL_NAMESPACE_RETENTION is not set (e.g. 72h)}"

# Bounded waits: a server that never comes up fails the job instead of hanging it.
wait_for() {
  what=$1
  shift
  i=0
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -ge 90 ]; then
      echo "setup-namespace: gave up waiting for $what after 90 tries" >&2
      "$@" >&2 || true
      exit 1
    fi
    sleep 2
  done
}

wait_for "the frontend at $TEMPORAL_ADDRESS to be healthy" temporal operator cluster health
if ! temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1; then
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$TEMPORAL_NAMESPACE_RETENTION"
fi
wait_for "namespace $TEMPORAL_NAMESPACE" temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE"

# The search attributes of src/contract (SEARCH_ATTRIBUTE_DEFINITIONS); creating an existing one
# with the same type is accepted by the server. Retried: a frontend answers "namespace not found"
# until its namespace cache has picked up the new namespace.
wait_for "the search attributes" temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" \
  --name VchaTarget --type Keyword --name VchaPlanned --type Bool \
  --name VchaPhase --type Keyword --name VchaOutcome --type Keyword
echo "setup-namespace: namespace $TEMPORAL_NAMESPACE and its search attributes are ready"
