{{/* Names and labels shared by every template. */}}

{{- define "poc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "poc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "poc.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "poc.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "poc.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "poc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: include with (dict "ctx" $ "component" "gateway"). */}}
{{- define "poc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "poc.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The service account of one component: include with (dict "ctx" $ "component" "worker"). */}}
{{- define "poc.serviceAccountName" -}}
{{- $sa := (index .ctx.Values .component).serviceAccount -}}
{{- if $sa.create -}}
{{- default (printf "%s-%s" (include "poc.fullname" .ctx) .component) $sa.name -}}
{{- else -}}
{{- default "default" $sa.name -}}
{{- end -}}
{{- end -}}

{{/* The image of one component: include with (dict "ctx" $ "repository" .Values.image.gatewayRepository). */}}
{{- define "poc.image" -}}
{{- $img := .ctx.Values.image -}}
{{- $tag := default .ctx.Chart.AppVersion $img.tag -}}
{{- if $img.registry -}}
{{- printf "%s/%s:%s" $img.registry .repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Worker drain: long enough for a running apply to finish after SIGTERM, then tofu's own grace. */}}
{{- define "poc.workerGracePeriod" -}}
{{- $c := .Values.config -}}
{{- if .Values.worker.terminationGracePeriodSeconds -}}
{{- .Values.worker.terminationGracePeriodSeconds -}}
{{- else -}}
{{- add $c.provisioningTimeoutSeconds $c.tofuKillGraceSeconds .Values.worker.preStopSleepSeconds 60 -}}
{{- end -}}
{{- end -}}

{{- define "poc.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .ref.name | quote }}
      key: {{ .ref.key | quote }}
{{- end -}}

{{/* A plain variable when its value is set: include with (dict "env" "JWT_ISSUER" "value" .issuer). */}}
{{- define "poc.optionalEnv" -}}
{{- if not (kindIs "invalid" .value) }}{{ if ne (toString .value) "" }}
- name: {{ .env }}
  value: {{ toString .value | quote }}
{{- end }}{{ end }}
{{- end -}}

{{/* Environment shared by gateway and worker: the ConfigMap plus the secrets both read. */}}
{{- define "poc.commonEnv" -}}
{{ include "poc.secretEnv" (dict "env" "DATABASE_URL" "ref" .Values.secrets.databaseUrl) }}
{{ include "poc.secretEnv" (dict "env" "ENCRYPTION_KEY" "ref" .Values.secrets.encryptionKey) }}
{{- with .Values.secrets.encryptionKeysRetired }}{{ if .name }}
{{ include "poc.secretEnv" (dict "env" "ENCRYPTION_KEYS_RETIRED" "ref" .) }}
{{- end }}{{ end }}
{{- with .Values.temporal.apiKeySecret }}{{ if .name }}
{{ include "poc.secretEnv" (dict "env" "TEMPORAL_API_KEY" "ref" .) }}
{{- end }}{{ end }}
{{- with .Values.temporal.tls }}{{ if .enabled }}
- name: TEMPORAL_TLS
  value: "true"
{{- if .serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ .serverName | quote }}
{{- end }}
{{- if .existingSecret }}
- name: TEMPORAL_TLS_CERT_FILE
  value: /etc/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY_FILE
  value: /etc/temporal-tls/tls.key
{{- if .hasCA }}
- name: TEMPORAL_TLS_CA_FILE
  value: /etc/temporal-tls/ca.crt
{{- end }}
{{- end }}
{{- end }}{{ end }}
{{- end -}}

{{/* The mTLS client certificate of the Temporal connection, when configured (volume + mount). */}}
{{- define "poc.temporalTlsVolume" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.temporal.tls.existingSecret | quote }}
    defaultMode: 0440
{{- end }}
{{- end -}}

{{- define "poc.temporalTlsMount" -}}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.existingSecret }}
- name: temporal-tls
  mountPath: /etc/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}


{{/* Settings only the gateway reads: caller authentication, rate limit, the codec endpoints. */}}
{{- define "poc.gatewayEnv" -}}
{{- $auth := .Values.config.auth -}}
{{- $jwt := $auth.jwt -}}
{{- $jwtSecret := .Values.secrets.jwtSecret -}}
{{- $jwtParts := list $jwt.issuer $jwt.audience (or $jwt.jwksUrl $jwtSecret.name) -}}
{{- if and (has "" $jwtParts) (not (eq (len (without $jwtParts "")) 0)) -}}
{{- fail "JWT verification needs config.auth.jwt.issuer, config.auth.jwt.audience and config.auth.jwt.jwksUrl or secrets.jwtSecret.name together" -}}
{{- end -}}
- name: RATE_LIMIT_PER_MINUTE
  value: {{ $auth.rateLimitPerMinute | quote }}
- name: AUTH_FAILURE_LIMIT
  value: {{ $auth.failedAttempts.limit | quote }}
- name: AUTH_FAILURE_WINDOW_SECONDS
  value: {{ $auth.failedAttempts.windowSeconds | quote }}
{{- include "poc.optionalEnv" (dict "env" "TRUST_PROXY" "value" (toString $auth.trustProxy)) }}
{{- include "poc.optionalEnv" (dict "env" "JWT_ISSUER" "value" $jwt.issuer) }}
{{- include "poc.optionalEnv" (dict "env" "JWT_AUDIENCE" "value" $jwt.audience) }}
{{- include "poc.optionalEnv" (dict "env" "JWT_JWKS_URL" "value" $jwt.jwksUrl) }}
{{- include "poc.optionalEnv" (dict "env" "JWT_MAX_LIFETIME_SECONDS" "value" $jwt.maxLifetimeSeconds) }}
{{- include "poc.optionalEnv" (dict "env" "JWT_CLOCK_SKEW_SECONDS" "value" $jwt.clockSkewSeconds) }}
{{- if $jwtSecret.name }}
{{ include "poc.secretEnv" (dict "env" "JWT_SECRET" "ref" $jwtSecret) }}
{{- end }}
- name: CODEC_AUTH
  value: {{ .Values.config.codec.auth | quote }}
{{- include "poc.optionalEnv" (dict "env" "CODEC_CORS_ORIGINS" "value" (join "," .Values.config.codec.corsOrigins)) }}
{{- end -}}

{{/* Settings only the worker reads: the reconciliation sweep. */}}
{{- define "poc.workerEnv" -}}
- name: RECONCILE_INTERVAL_SECONDS
  value: {{ .Values.config.reconcile.intervalSeconds | quote }}
- name: RECONCILE_GRACE_SECONDS
  value: {{ .Values.config.reconcile.graceSeconds | quote }}
- name: PERSONAL_DATA_RETENTION_DAYS
  value: {{ .Values.config.reconcile.personalDataRetentionDays | quote }}
{{- end -}}

