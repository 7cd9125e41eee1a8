#!/bin/sh
# Deletes one simulated resource of the local stack: removes its marker file, but only when it
# belongs to TENANT_ID. A create refused because the marker is another tenant's leaves a tainted
# resource in this tenant's state; destroying that must not delete the other tenant's marker.
# Environment: MARKER, KIND, TENANT_ID.
set -eu
[ -e "$MARKER" ] || exit 0
. "$(dirname "$0")/owner.sh"
if ! owned_by_me; then
  echo "not deleting $KIND: it belongs to another tenant" >&2
  exit 0
fi
rm -f "$MARKER"
