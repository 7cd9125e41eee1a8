#!/bin/sh
# Deletes one simulated resource of the local stack: removes its marker file, but only when it
# belongs to TENANT_ID. A create refused because the marker is another tenant's leaves a tainted
# resource in this tenant's state; destroying that must not delete the other tenant's marker.
# Like deletion protection, a marker with MARKER.undeletable beside it is refused (the
# simulate_destroy_failure knob). Environment: MARKER, KIND, TENANT_ID.
set -eu
[ -e "$MARKER" ] || exit 0
. "$(dirname "$0")/owner.sh"
if ! owned_by_me; then
  echo "not deleting $KIND: it belongs to another tenant" >&2
  exit 0
fi
if [ -e "$MARKER.undeletable" ]; then
  echo "simulated failure deleting $KIND: deletion protection is on" >&2
  exit 1
fi
rm -f "$MARKER"
