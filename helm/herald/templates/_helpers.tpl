{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "herald.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name prefix of every object: "<release>-herald", or the release name when it already contains the chart
name, or fullnameOverride. Truncated to 63 characters (DNS label).
*/}}
{{- define "herald.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of a component's object: "<fullname>-<suffix>", kept within 63 characters.
Usage: include "herald.componentName" (list . "gateway")
*/}}
{{- define "herald.componentName" -}}
{{- $ctx := index . 0 }}
{{- $suffix := index . 1 }}
{{- printf "%s-%s" (include "herald.fullname" $ctx | trunc (int (sub 62 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{/*
Chart label value.
*/}}
{{- define "herald.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every object.
*/}}
{{- define "herald.labels" -}}
helm.sh/chart: {{ include "herald.chart" . }}
app.kubernetes.io/name: {{ include "herald.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: herald
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Selector labels of the silo pods (immutable once installed: do not change).
*/}}
{{- define "herald.selectorLabels" -}}
app.kubernetes.io/name: {{ include "herald.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: silo
{{- end }}

{{- /* Selector labels of the warehouse silo's pod (its own workload, so the silos' selector does not match it). */}}
{{- define "herald.warehouseSelectorLabels" -}}
app.kubernetes.io/name: {{ include "herald.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: warehouse
{{- end }}

{{- /* Where the warehouse silo keeps its DuckDB file and Parquet files: its persistent volume. */}}
{{- define "herald.warehouse.path" -}}
/var/lib/herald/warehouse
{{- end }}

{{/*
Selector labels of the bundled Redis pod.
*/}}
{{- define "herald.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "herald.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end }}

{{/*
Orleans ServiceId and ClusterId (ClusterId defaults to the release name).
*/}}
{{- define "herald.serviceId" -}}
{{- .Values.orleans.serviceId }}
{{- end }}

{{- define "herald.clusterId" -}}
{{- default .Release.Name .Values.orleans.clusterId }}
{{- end }}

{{/*
ServiceAccount the silos run as.
*/}}
{{- define "herald.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "herald.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Silo image reference: repository@digest, or repository:tag (tag defaults to appVersion).
*/}}
{{- define "herald.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The chart-managed Secret and its keys.
*/}}
{{- define "herald.secretName" -}}
{{- include "herald.fullname" . }}
{{- end }}

{{- define "herald.pipelinesConfigMapName" -}}
{{- if .Values.existingPipelinesConfigMap }}
{{- .Values.existingPipelinesConfigMap }}
{{- else }}
{{- include "herald.componentName" (list . "pipelines") }}
{{- end }}
{{- end }}

{{/*
Whether the chart renders its pipelines ConfigMap ("true" or empty): only when `pipelines` gives files and no
existingPipelinesConfigMap replaces it. With neither, the silo runs the image's own pipeline definitions.
*/}}
{{- define "herald.pipelinesConfigMap.rendered" -}}
{{- if and (not .Values.existingPipelinesConfigMap) .Values.pipelines }}true{{- end }}
{{- end }}

{{/* Whether the pods mount a pipelines ConfigMap at all (the chart's or an existing one): "true" or empty. */}}
{{- define "herald.pipelinesConfigMap.used" -}}
{{- if or .Values.existingPipelinesConfigMap (include "herald.pipelinesConfigMap.rendered" .) }}true{{- end }}
{{- end }}

{{/* Whether any part of the silo uses Redis. */}}
{{- define "herald.redis.used" -}}
{{- if or (eq .Values.orleans.clusteringProvider "Redis") (eq .Values.orleans.storageProvider "Redis") }}true{{- end }}
{{- end }}

{{/* Secret name and key holding the Redis connection string. */}}
{{- define "herald.redis.secretName" -}}
{{- default (include "herald.secretName" .) .Values.redis.existingSecret }}
{{- end }}

{{- define "herald.redis.secretKey" -}}
{{- if .Values.redis.existingSecret }}{{ .Values.redis.existingSecretKey }}{{ else }}redis-connection-string{{ end }}
{{- end }}

{{/* Connection string the chart stores: the bundled Redis Service, or redis.connectionString. */}}
{{- define "herald.redis.connectionString" -}}
{{- if .Values.redis.bundled.enabled }}
{{- printf "%s:6379,abortConnect=false" (include "herald.componentName" (list . "redis")) }}
{{- else }}
{{- .Values.redis.connectionString }}
{{- end }}
{{- end }}

{{/* Secret name and key holding the API token. */}}
{{- define "herald.http.secretName" -}}
{{- default (include "herald.secretName" .) .Values.http.existingSecret }}
{{- end }}

{{- define "herald.http.secretKey" -}}
{{- if .Values.http.existingSecret }}{{ .Values.http.existingSecretKey }}{{ else }}api-token{{ end }}
{{- end }}

{{/* Secret name and key holding the Kafka SASL password. */}}
{{- define "herald.kafka.secretName" -}}
{{- default (include "herald.secretName" .) .Values.kafka.sasl.existingSecret }}
{{- end }}

{{- define "herald.kafka.secretKey" -}}
{{- if .Values.kafka.sasl.existingSecret }}{{ .Values.kafka.sasl.existingSecretKey }}{{ else }}kafka-sasl-password{{ end }}
{{- end }}

{{/*
Data of the chart-managed Secret (a dict key -> plain value), only for what no existing Secret provides.
The generated API token is reused from the live Secret on upgrade, so it stays stable.
*/}}
{{- define "herald.secretData" -}}
{{- $data := dict }}
{{- if not .Values.http.existingSecret }}
{{- $token := .Values.http.apiToken }}
{{- if not $token }}
{{- $live := lookup "v1" "Secret" .Release.Namespace (include "herald.secretName" .) }}
{{- if and $live $live.data (hasKey $live.data "api-token") }}
{{- $token = index $live.data "api-token" | b64dec }}
{{- else }}
{{- $token = randAlphaNum 32 }}
{{- end }}
{{- end }}
{{- $_ := set $data "api-token" $token }}
{{- end }}
{{- if and (include "herald.redis.used" .) (not .Values.redis.existingSecret) }}
{{- $_ := set $data "redis-connection-string" (include "herald.redis.connectionString" .) }}
{{- end }}
{{- if and .Values.kafka.sasl.enabled (not .Values.kafka.sasl.existingSecret) }}
{{- $_ := set $data "kafka-sasl-password" .Values.kafka.sasl.password }}
{{- end }}
{{- toJson $data }}
{{- end }}

{{/*
Configuration checks that JSON schema cannot express. Each fails the render with a message saying what to set.
*/}}
{{- define "herald.validate" -}}
{{- $_ := required "kafka.bootstrapServers is required: set it to your Kafka cluster's bootstrap servers (e.g. --set kafka.bootstrapServers=kafka-0.kafka:9092). The embedded in-memory broker is for development only and is not supported on Kubernetes." .Values.kafka.bootstrapServers }}
{{- if include "herald.redis.used" . }}
{{- if not (or .Values.redis.connectionString .Values.redis.existingSecret .Values.redis.bundled.enabled) }}
{{- fail (printf "Redis is required by orleans.clusteringProvider=%s / orleans.storageProvider=%s: set redis.connectionString, redis.existingSecret, or redis.bundled.enabled=true (development only)" .Values.orleans.clusteringProvider .Values.orleans.storageProvider) }}
{{- end }}
{{- if and .Values.redis.bundled.enabled (or .Values.redis.connectionString .Values.redis.existingSecret) }}
{{- fail "redis.bundled.enabled conflicts with redis.connectionString / redis.existingSecret: choose one Redis" }}
{{- end }}
{{- end }}
{{- if eq .Values.orleans.clusteringProvider "Localhost" }}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}
{{- fail "orleans.clusteringProvider=Localhost forms a one-silo cluster per pod: use it only with replicaCount=1 and autoscaling.enabled=false, or use Redis" }}
{{- end }}
{{- end }}
{{- if .Values.warehouse.enabled }}
{{- if eq .Values.orleans.clusteringProvider "Localhost" }}
{{- fail "warehouse.enabled runs the warehouse in a silo of the cluster, and orleans.clusteringProvider=Localhost makes every pod its own cluster: use Redis clustering" }}
{{- end }}
{{- if not (or .Values.warehouse.duckdb .Values.warehouse.parquet) }}
{{- fail "warehouse.enabled needs warehouse.duckdb or warehouse.parquet (or both): the sink must write somewhere" }}
{{- end }}
{{- end }}
{{- if .Values.kafka.sasl.enabled }}
{{- if not .Values.kafka.sasl.username }}
{{- fail "kafka.sasl.enabled needs kafka.sasl.username" }}
{{- end }}
{{- if not (or .Values.kafka.sasl.password .Values.kafka.sasl.existingSecret) }}
{{- fail "kafka.sasl.enabled needs kafka.sasl.password or kafka.sasl.existingSecret" }}
{{- end }}
{{- range $property := list "security.protocol" "sasl.mechanism" "sasl.mechanisms" "sasl.username" }}
{{- if hasKey $.Values.kafka.client $property }}
{{- fail (printf "kafka.client.%s conflicts with kafka.sasl: set it through kafka.sasl" $property) }}
{{- end }}
{{- end }}
{{- end }}
{{- range $property, $value := .Values.kafka.client }}
{{- if or (contains "password" $property) (contains "secret" $property) (eq $property "ssl.key.pem") }}
{{- fail (printf "kafka.client.%s looks like a secret: keep secrets out of values (use kafka.sasl.existingSecret, or extraEnv with a secretKeyRef named Herald__Kafka__Client__%s)" $property $property) }}
{{- end }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" }}
{{- end }}
{{- if not (and .Values.resources .Values.resources.requests .Values.resources.requests.cpu) }}
{{- fail "autoscaling.enabled needs resources.requests.cpu (the HPA targets a percentage of it)" }}
{{- end }}
{{- end }}
{{- if .Values.podDisruptionBudget.enabled }}
{{- if eq (kindIs "invalid" .Values.podDisruptionBudget.minAvailable) (kindIs "invalid" .Values.podDisruptionBudget.maxUnavailable) }}
{{- fail "podDisruptionBudget: set exactly one of minAvailable and maxUnavailable (the other null)" }}
{{- end }}
{{- end }}
{{- if lt (int (include "herald.shutdownTimeoutSeconds" .)) 5 }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed shutdown.preStopSleepSeconds (%d) by at least 15 so the silo has at least 5 s to shut down" (int .Values.terminationGracePeriodSeconds) (int .Values.shutdown.preStopSleepSeconds)) }}
{{- end }}
{{- if and (not .Values.pipelineAssets.copyFromImage) (not (include "herald.pipelinesConfigMap.used" .)) }}
{{- fail "pipelineAssets.copyFromImage=false mounts the pipelines ConfigMap alone, and pipelines is empty: there would be no pipeline at all. Give pipeline files (--set-file 'pipelines.news\\.yaml=pipelines/news.yaml') or existingPipelinesConfigMap, or set pipelineAssets.copyFromImage=true to run the image's own definitions" }}
{{- end }}
{{- end }}

{{/*
The silo's shutdown budget: the grace period less the preStop sleep less 10 s of headroom for the runtime to
exit after Orleans has stopped.
*/}}
{{- define "herald.shutdownTimeoutSeconds" -}}
{{- sub (sub (int .Values.terminationGracePeriodSeconds) (int .Values.shutdown.preStopSleepSeconds)) 10 }}
{{- end }}

{{/*
A scalar value as configuration text: whole numbers without an exponent (values files parse numbers as
floats, which would print 2000000 as 2e+06), booleans as true/false, strings unchanged.
*/}}
{{- define "herald.scalarString" -}}
{{- if and (kindIs "float64" .) (eq (float64 (int64 .)) .) }}
{{- int64 . }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}
