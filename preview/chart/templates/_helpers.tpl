{{/* The name of the preview's DevEnvironment and AppStack: <prefix>-pr-<number>. */}}
{{- define "preview.name" -}}
{{- $number := required "pullRequest.number is required" (toString .Values.pullRequest.number) -}}
{{- if not (regexMatch "^[0-9]+$" $number) -}}
{{- fail (printf "pullRequest.number must be a number, got %q" $number) -}}
{{- end -}}
{{- printf "%s-pr-%s" .Values.namePrefix $number | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "preview.labels" -}}
devplatform.io/preview: "true"
devplatform.io/pull-request: {{ toString .Values.pullRequest.number | quote }}
{{- with .Values.pullRequest.branch }}
devplatform.io/branch: {{ regexReplaceAll "[^A-Za-z0-9_.-]" . "-" | trunc 63 | trimAll "-_." | quote }}
{{- end }}
{{- end -}}
