#!/bin/sh
# Creates one simulated resource of the local stack: writes its marker file.
# Environment: MARKER (file to write), RESOURCE (JSON body), KIND, DELAY_SECONDS,
# FAIL_RESOURCE (a kind that fails permanently), TRANSIENT_FAILURES (times each resource fails
# with a network-like error before it succeeds), ATTEMPTS_DIR (where attempts are counted),
# UNDELETABLE (a kind created with deletion protection: MARKER.undeletable, which its destroy
# refuses while the file exists; remove the file to lift the protection).
set -eu
sleep "${DELAY_SECONDS:-0}"
# Like a cloud API, refuse to create what already exists: a resource made twice is a bug.
if [ -e "$MARKER" ]; then
  echo "simulated conflict creating $KIND: resource already exists" >&2
  exit 1
fi
if [ "${FAIL_RESOURCE:-}" = "$KIND" ]; then
  echo "simulated permanent failure creating $KIND" >&2
  exit 1
fi
if [ "${TRANSIENT_FAILURES:-0}" -gt 0 ]; then
  mkdir -p "$ATTEMPTS_DIR"
  counter="$ATTEMPTS_DIR/$(basename "$(dirname "$MARKER")")-$KIND"
  attempts=$(cat "$counter" 2>/dev/null || echo 0)
  if [ "$attempts" -lt "$TRANSIENT_FAILURES" ]; then
    echo $((attempts + 1)) > "$counter"
    echo "simulated transient failure creating $KIND: connection reset by peer" >&2
    exit 1
  fi
fi
mkdir -p "$(dirname "$MARKER")"
printf '%s' "$RESOURCE" > "$MARKER"
if [ "${UNDELETABLE:-}" = "$KIND" ]; then
  : > "$MARKER.undeletable"
fi
