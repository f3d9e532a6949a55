{{- /*
The silo's pod template, shared by the silos' Deployment (component "silo") and the warehouse's StatefulSet
(component "warehouse": the same silo, which also runs the warehouse sink on its own volume).
Called with (dict "root" . "component" "silo"|"warehouse").
*/}}
{{- define "herald.siloPodTemplate" }}
{{- $root := .root }}
{{- $component := .component }}
{{- $selectorLabels := eq $component "warehouse" | ternary (include "herald.warehouseSelectorLabels" $root) (include "herald.selectorLabels" $root) }}
{{- with $root }}
    metadata:
      labels:
        {{- include "herald.labels" . | nindent 8 }}
        app.kubernetes.io/component: {{ $component }}
        orleans/serviceId: {{ include "herald.serviceId" . | quote }}
        orleans/clusterId: {{ include "herald.clusterId" . | quote }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        {{- if include "herald.pipelinesConfigMap.rendered" . }}
        checksum/pipelines: {{ include (print $root.Template.BasePath "/configmap-pipelines.yaml") . | sha256sum }}
        {{- end }}
        {{- /* Hash the secret inputs rather than the rendered Secret: a generated token would differ per render. */}}
        checksum/secret: {{ list .Values.http.apiToken .Values.http.existingSecret .Values.http.existingSecretKey (include "herald.redis.connectionString" .) .Values.redis.existingSecret .Values.redis.existingSecretKey .Values.kafka.sasl.password .Values.kafka.sasl.existingSecret .Values.kafka.sasl.existingSecretKey | toJson | sha256sum }}
        {{- if .Values.metrics.prometheusAnnotations }}
        prometheus.io/scrape: "true"
        prometheus.io/port: "8080"
        prometheus.io/path: {{ .Values.metrics.path | quote }}
        {{- end }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "herald.serviceAccountName" . }}
      # UseKubernetesHosting talks to the API server with the pod's token.
      automountServiceAccountToken: {{ .Values.orleans.kubernetesHosting }}
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      {{- with .Values.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      {{- with .Values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- range . }}
        {{- $constraint := deepCopy . }}
        {{- if not (hasKey $constraint "labelSelector") }}
        {{- $_ := set $constraint "labelSelector" (dict "matchLabels" ($selectorLabels | fromYaml)) }}
        {{- end }}
        - {{- toYaml $constraint | nindent 10 }}
        {{- end }}
      {{- end }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if .Values.pipelineAssets.copyFromImage }}
      initContainers:
        # Assembles /etc/herald/pipelines: the image's pipelines folder (its model files and its own pipeline
        # definitions), plus the ConfigMap's files. When the ConfigMap holds pipeline definitions (*.yaml /
        # *.yml) they replace all of the image's; otherwise the image's definitions are kept. Relative paths in
        # pipeline YAML (model: models/x.onnx) then resolve against the pipeline file's folder.
        # The script names its folders only through the env below (scripts/validate-k8s-objects.mjs runs it on
        # sample folders).
        - name: pipelines
          image: {{ include "herald.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          command: ["/bin/sh", "-c"]
          args:
            - |
              set -eu
              target=$PIPELINES_TARGET
              configmap=${PIPELINES_SOURCE:-}
              if [ -d "$IMAGE_PIPELINES" ]; then cp -R "$IMAGE_PIPELINES/." "$target/"; fi
              if [ -n "$configmap" ] && [ -d "$configmap" ]; then
                given=false
                for file in "$configmap"/*.yaml "$configmap"/*.yml; do
                  if [ -f "$file" ]; then given=true; fi
                done
                if $given; then
                  echo "pipeline definitions from the ConfigMap replace the image's"
                  rm -f "$target"/*.yaml "$target"/*.yml
                else
                  echo "no pipeline definitions in the ConfigMap: keeping the image's"
                fi
                for file in "$configmap"/*; do
                  if [ -f "$file" ]; then cp -L "$file" "$target/"; fi
                done
              fi
              found=false
              for file in "$target"/*.yaml "$target"/*.yml; do
                if [ -f "$file" ]; then found=true; fi
              done
              if ! $found; then
                echo "no pipeline definition: none in the image's $IMAGE_PIPELINES (pipelineAssets.imagePath) and none in the pipelines ConfigMap" >&2
                exit 1
              fi
              echo "pipelines folder:"; ls -lR "$target"
          env:
            - name: IMAGE_PIPELINES
              value: {{ .Values.pipelineAssets.imagePath | quote }}
            - name: PIPELINES_TARGET
              value: /pipelines
            {{- if include "herald.pipelinesConfigMap.used" . }}
            - name: PIPELINES_SOURCE
              value: /etc/herald/pipelines-source
            {{- end }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          {{- with .Values.pipelineAssets.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            {{- if include "herald.pipelinesConfigMap.used" . }}
            - name: pipelines-source
              mountPath: /etc/herald/pipelines-source
              readOnly: true
            {{- end }}
            - name: pipelines
              mountPath: /pipelines
      {{- end }}
      containers:
        - name: silo
          image: {{ include "herald.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          ports:
            - name: silo
              containerPort: 11111
              protocol: TCP
            - name: gateway
              containerPort: 30000
              protocol: TCP
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            # Downward API: UseKubernetesHosting reads these to name the silo and advertise its address.
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: ORLEANS_SERVICE_ID
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['orleans/serviceId']
            - name: ORLEANS_CLUSTER_ID
              valueFrom:
                fieldRef:
                  fieldPath: metadata.labels['orleans/clusterId']
            # The root filesystem is read-only: anything that writes under $HOME goes to the /tmp emptyDir.
            - name: HOME
              value: /tmp
            - name: DOTNET_SYSTEM_GLOBALIZATION_INVARIANT
              value: "false"
            {{- with .Values.logLevel }}
            - name: Logging__LogLevel__Default
              value: {{ . | quote }}
            {{- end }}
            - name: Herald__PipelinesPath
              value: /etc/herald/pipelines
            - name: Herald__ShutdownTimeoutSeconds
              value: {{ include "herald.shutdownTimeoutSeconds" . | quote }}
            - name: Herald__Http__Urls
              value: "http://0.0.0.0:8080"
            - name: Herald__Http__ApiToken
              valueFrom:
                secretKeyRef:
                  name: {{ include "herald.http.secretName" . }}
                  key: {{ include "herald.http.secretKey" . }}
            - name: Herald__Clustering__Provider
              value: {{ .Values.orleans.clusteringProvider | quote }}
            - name: Herald__Clustering__Kubernetes
              value: {{ .Values.orleans.kubernetesHosting | quote }}
            - name: Herald__Storage__Provider
              value: {{ .Values.orleans.storageProvider | quote }}
            {{- if eq .Values.orleans.clusteringProvider "Redis" }}
            - name: Herald__Clustering__Redis
              valueFrom:
                secretKeyRef:
                  name: {{ include "herald.redis.secretName" . }}
                  key: {{ include "herald.redis.secretKey" . }}
            {{- end }}
            {{- if eq .Values.orleans.storageProvider "Redis" }}
            - name: Herald__Storage__Redis
              valueFrom:
                secretKeyRef:
                  name: {{ include "herald.redis.secretName" . }}
                  key: {{ include "herald.redis.secretKey" . }}
            {{- end }}
            - name: Herald__Kafka__BootstrapServers
              value: {{ .Values.kafka.bootstrapServers | quote }}
            - name: Herald__Kafka__InputTopic
              value: {{ .Values.kafka.inputTopic | quote }}
            - name: Herald__Kafka__AnnotationsTopic
              value: {{ .Values.kafka.annotationsTopic | quote }}
            - name: Herald__Kafka__DeadLetterTopic
              value: {{ .Values.kafka.deadLetterTopic | quote }}
            - name: Herald__Kafka__Partitions
              value: {{ .Values.kafka.partitions | int64 | quote }}
            - name: Herald__Kafka__ReplicationFactor
              value: {{ .Values.kafka.replicationFactor | int64 | quote }}
            - name: Herald__Kafka__CreateTopics
              value: {{ .Values.kafka.createTopics | quote }}
            - name: Herald__Kafka__Emit
              value: {{ .Values.kafka.emit | quote }}
            {{- if not (kindIs "invalid" .Values.kafka.maxMessageBytes) }}
            - name: Herald__Kafka__MaxMessageBytes
              value: {{ .Values.kafka.maxMessageBytes | int64 | quote }}
            {{- end }}
            {{- if .Values.kafka.sasl.enabled }}
            - name: Herald__Kafka__Client__security.protocol
              value: {{ .Values.kafka.sasl.securityProtocol | quote }}
            - name: Herald__Kafka__Client__sasl.mechanism
              value: {{ .Values.kafka.sasl.mechanism | quote }}
            - name: Herald__Kafka__Client__sasl.username
              value: {{ .Values.kafka.sasl.username | quote }}
            - name: Herald__Kafka__Client__sasl.password
              valueFrom:
                secretKeyRef:
                  name: {{ include "herald.kafka.secretName" . }}
                  key: {{ include "herald.kafka.secretKey" . }}
            {{- end }}
            {{- range $property, $value := .Values.kafka.client }}
            - name: {{ printf "Herald__Kafka__Client__%s" $property }}
              value: {{ include "herald.scalarString" $value | quote }}
            {{- end }}
            {{- range $tag, $pipeline := .Values.kafka.pipelines }}
            {{- with $pipeline.startFrom }}
            - name: {{ printf "Herald__Kafka__Pipelines__%s__StartFrom" $tag }}
              value: {{ . | quote }}
            {{- end }}
            {{- with $pipeline.consumerGroup }}
            - name: {{ printf "Herald__Kafka__Pipelines__%s__ConsumerGroup" $tag }}
              value: {{ . | quote }}
            {{- end }}
            {{- end }}
            {{- if eq $component "warehouse" }}
            # This silo also runs the warehouse sink (one writer: DuckDB locks its file) on its own volume.
            - name: Herald__Warehouse__Enabled
              value: "true"
            - name: Herald__Warehouse__Database
              value: {{ if .Values.warehouse.duckdb }}{{ include "herald.warehouse.path" . }}/herald.duckdb{{ end }}
            {{- if .Values.warehouse.parquet }}
            - name: Herald__Warehouse__Parquet
              value: {{ include "herald.warehouse.path" . }}/parquet
            {{- end }}
            - name: Herald__Warehouse__ConsumerGroup
              value: {{ .Values.warehouse.consumerGroup | quote }}
            {{- end }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- with .Values.extraEnvFrom }}
          envFrom:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          startupProbe:
            httpGet:
              path: {{ .Values.probes.startup.path }}
              port: http
            initialDelaySeconds: {{ .Values.probes.startup.initialDelaySeconds }}
            periodSeconds: {{ .Values.probes.startup.periodSeconds }}
            timeoutSeconds: {{ .Values.probes.startup.timeoutSeconds }}
            failureThreshold: {{ .Values.probes.startup.failureThreshold }}
          livenessProbe:
            httpGet:
              path: {{ .Values.probes.liveness.path }}
              port: http
            initialDelaySeconds: {{ .Values.probes.liveness.initialDelaySeconds }}
            periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
            timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
            failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet:
              path: {{ .Values.probes.readiness.path }}
              port: http
            initialDelaySeconds: {{ .Values.probes.readiness.initialDelaySeconds }}
            periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
            timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
            failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
          {{- if gt (int .Values.shutdown.preStopSleepSeconds) 0 }}
          lifecycle:
            preStop:
              sleep:
                seconds: {{ .Values.shutdown.preStopSleepSeconds }}
          {{- end }}
          {{- with (eq $component "warehouse" | ternary (.Values.warehouse.resources | default .Values.resources) .Values.resources) }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          volumeMounts:
            - name: pipelines
              mountPath: /etc/herald/pipelines
              readOnly: true
            - name: tmp
              mountPath: /tmp
            {{- if eq $component "warehouse" }}
            - name: warehouse
              mountPath: {{ include "herald.warehouse.path" . }}
            {{- end }}
            {{- with .Values.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        {{- if .Values.pipelineAssets.copyFromImage }}
        {{- if include "herald.pipelinesConfigMap.used" . }}
        - name: pipelines-source
          configMap:
            name: {{ include "herald.pipelinesConfigMapName" . }}
        {{- end }}
        - name: pipelines
          emptyDir:
            {{- if .Values.pipelineAssets.sizeLimit }}
            sizeLimit: {{ .Values.pipelineAssets.sizeLimit }}
            {{- end }}
        {{- else }}
        - name: pipelines
          configMap:
            name: {{ include "herald.pipelinesConfigMapName" . }}
        {{- end }}
        - name: tmp
          {{- if .Values.tmpSizeLimit }}
          emptyDir:
            sizeLimit: {{ .Values.tmpSizeLimit }}
          {{- else }}
          emptyDir: {}
          {{- end }}
        {{- with .Values.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
{{- end }}
{{- end }}
