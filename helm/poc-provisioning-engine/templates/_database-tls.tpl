{{/*
Cloud SQL's server CA, when secrets.databaseCa names a Secret: mounted read-only in every pod
that connects to Postgres, for DATABASE_URL's sslrootcert (docs/operations.md, Cloud SQL TLS).
*/}}
{{- define "poc.databaseCaVolume" -}}
{{- with .Values.secrets.databaseCa }}{{ if .name }}
- name: database-ca
  secret:
    secretName: {{ .name | quote }}
    items:
      - { key: {{ .key | quote }}, path: ca.pem }
    defaultMode: 0444
{{- end }}{{ end }}
{{- end -}}

{{- define "poc.databaseCaMount" -}}
{{- with .Values.secrets.databaseCa }}{{ if .name }}
- name: database-ca
  mountPath: /etc/poc-engine/database-ca
  readOnly: true
{{- end }}{{ end }}
{{- end -}}
