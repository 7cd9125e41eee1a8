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

{{- define "poc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "poc.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
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

{{/* Environment shared by gateway and worker: the ConfigMap plus the secrets both read. */}}
{{- define "poc.commonEnv" -}}
{{ include "poc.secretEnv" (dict "env" "DATABASE_URL" "ref" .Values.secrets.databaseUrl) }}
{{ include "poc.secretEnv" (dict "env" "ENCRYPTION_KEY" "ref" .Values.secrets.encryptionKey) }}
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
