{{/* The path the load balancer's health check requests: gateway.healthCheck.requestPath, else the readiness probe's. */}}
{{- define "poc.gatewayHealthCheckPath" -}}
{{- $path := .Values.gateway.healthCheck.requestPath -}}
{{- if not $path -}}
{{- $probe := .Values.gateway.readinessProbe | default dict -}}
{{- $path = (($probe.httpGet | default dict).path) | default "/api/v1/health" -}}
{{- end -}}
{{- $path -}}
{{- end -}}

{{/* The health check of a BackendConfig (GKE Ingress): on the pod's port, the readiness path. */}}
{{- define "poc.gatewayHealthCheck" -}}
{{- $hc := .Values.gateway.healthCheck -}}
type: HTTP
requestPath: {{ include "poc.gatewayHealthCheckPath" . }}
port: {{ .Values.gateway.port }}
checkIntervalSec: {{ $hc.checkIntervalSeconds }}
timeoutSec: {{ $hc.timeoutSeconds }}
healthyThreshold: {{ $hc.healthyThreshold }}
unhealthyThreshold: {{ $hc.unhealthyThreshold }}
{{- end -}}
