#!/bin/sh
# Deletes one simulated resource of the local stack: removes its marker file, but only when it
# belongs to TENANT_ID. A create refused because the marker is another tenant's leaves a tainted
# resource in this tenant's state; destroying that must not delete the other tenant's marker.
# Environment: MARKER, KIND, TENANT_ID.
set -eu
[ -e "$MARKER" ] || exit 0
owner=$(grep -o '"tenant_id":"[^"]*"' "$MARKER" | head -n 1 | cut -d '"' -f 4 | tr 'A-F' 'a-f' || true)
mine=$(printf '%s' "$TENANT_ID" | tr 'A-F' 'a-f')
if [ "$owner" != "$mine" ]; then
  echo "not deleting $KIND: it belongs to another tenant" >&2
  exit 0
fi
rm -f "$MARKER"
