# Sourced by create-resource.sh and delete-resource.sh: who owns a marker, and who is asking.

# The tenant a marker belongs to (its first "tenant_id" field), lowercased; empty if none.
owner_of() {
  grep -o '"tenant_id":"[^"]*"' "$1" | head -n 1 | cut -d '"' -f 4 | tr 'A-F' 'a-f' || true
}

# Whether the marker $MARKER belongs to $TENANT_ID.
owned_by_me() {
  [ "$(owner_of "$MARKER")" = "$(printf '%s' "$TENANT_ID" | tr 'A-F' 'a-f')" ]
}
