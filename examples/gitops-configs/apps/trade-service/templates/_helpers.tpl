{{/* The name every object of the app shares: the release name (trade-service by default). */}}
{{- define "trade-service.name" -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "trade-service.labels" -}}
app.kubernetes.io/name: {{ include "trade-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The pod selector; stays stable across upgrades. */}}
{{- define "trade-service.selector" -}}
app: {{ include "trade-service.name" . }}
{{- end -}}
