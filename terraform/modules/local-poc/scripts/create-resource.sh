#!/bin/sh
# Creates one simulated resource of the local stack: writes its marker file.
# Environment: MARKER (file to write), RESOURCE (JSON body), KIND, TENANT_ID (the owner),
# DELAY_SECONDS, FAIL_RESOURCE (a kind that fails permanently), TRANSIENT_FAILURES (times each
# resource fails with a network-like error before it succeeds), ATTEMPTS_DIR (where attempts
# are counted), UNDELETABLE (a kind created with deletion protection: MARKER.undeletable, which
# its destroy refuses while the file exists; remove the file to lift the protection).
set -eu
sleep "${DELAY_SECONDS:-0}"

. "$(dirname "$0")/owner.sh"

# Like a cloud API, refuse to create what already exists: a resource made twice is a bug. But a
# resource of THIS tenant under this deterministic name was made by an earlier apply that could
# not record it (tofu killed, state not saved): adopt it, as an `import` would on Google Cloud,
# and bring it up to date. Another tenant's is never touched: a clearly coded, permanent failure.
if [ -e "$MARKER" ]; then
  if ! owned_by_me; then
    echo "simulated conflict creating $KIND: resource already exists and belongs to another tenant" >&2
    exit 1
  fi
  echo "adopting $KIND: resource already exists and belongs to this tenant" >&2
else
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
fi
mkdir -p "$(dirname "$MARKER")"
# Written whole or not at all: a process killed mid-write leaves no half marker.
printf '%s' "$RESOURCE" > "$MARKER.$$.tmp"
mv -f "$MARKER.$$.tmp" "$MARKER"
if [ "${UNDELETABLE:-}" = "$KIND" ]; then
  : > "$MARKER.undeletable"
fi
