{{/* The name of every object: the release name, plus the chart's when they differ. */}}
{{- define "vcha.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the worker's pods (also the PodDisruptionBudget's selector). */}}
{{- define "vcha.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "vcha.labels" -}}
{{ include "vcha.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "vcha.targetsSecret" -}}
{{- .Values.targets.existingSecret | default (printf "%s-targets" (include "vcha.fullname" .)) -}}
{{- end -}}

{{- define "vcha.passwordsSecret" -}}
{{- .Values.passwords.existingSecret | default (printf "%s-passwords" (include "vcha.fullname" .)) -}}
{{- end -}}

{{/*
Memory from the benchmark, in MB: 280 for one in-flight failover, 1.1 more for each of the first
100, 0.46 for each beyond. The request is that; the limit twice it (the gate's replay loads the
workflow code a second time, and the SDK's cache grows before it evicts).
*/}}
{{- define "vcha.memoryMB" -}}
{{- $n := int .Values.sizing.inFlightFailoversPerPod -}}
{{- $first := min $n 100 -}}
{{- $beyond := max (sub $n 100) 0 -}}
{{- add 280 (div (mul 110 $first) 100) (div (mul 46 $beyond) 100) -}}
{{- end -}}

{{- define "vcha.resources" -}}
{{- if .Values.resources -}}
{{ toYaml .Values.resources }}
{{- else -}}
{{- $mb := int (include "vcha.memoryMB" .) -}}
requests:
  cpu: {{ .Values.sizing.cpuRequest | quote }}
  memory: {{ printf "%dM" $mb | quote }}
limits:
  memory: {{ printf "%dM" (mul 2 $mb) | quote }}
{{- end -}}
{{- end -}}

{{/* The worker's pod: the same for the Deployment and each version the Worker Controller runs. */}}
{{- define "vcha.podTemplate" -}}
metadata:
  labels:
    {{- include "vcha.selectorLabels" . | nindent 4 }}
  annotations:
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ .Values.metrics.port | quote }}
    prometheus.io/path: /metrics
    # A changed setting or targets file rolls the pods. Never a hash of the passwords: that would
    # put something derived from them in the pod's metadata (restart the pods after rotating one).
    checksum/settings: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    checksum/targets: {{ .Values.targets.file | toJson | sha256sum }}
    {{- with .Values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  terminationGracePeriodSeconds: {{ add .Values.shutdownGraceSeconds .Values.terminationMarginSeconds }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
    runAsGroup: 1000
    fsGroup: 1000
  containers:
    - name: worker
      image: {{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) | quote }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      envFrom:
        - configMapRef:
            name: {{ include "vcha.fullname" . }}
        - secretRef:
            name: {{ include "vcha.passwordsSecret" . }}
      {{- if or .Values.temporal.apiKeySecret.name .Values.audit.databaseUrlSecret.name }}
      env:
        {{- with .Values.temporal.apiKeySecret }}
        {{- if .name }}
        - name: TEMPORAL_API_KEY
          valueFrom:
            secretKeyRef:
              name: {{ .name }}
              key: {{ .key }}
        {{- end }}
        {{- end }}
        {{- with .Values.audit.databaseUrlSecret }}
        {{- if .name }}
        - name: VCHA_AUDIT_DATABASE_URL
          valueFrom:
            secretKeyRef:
              name: {{ .name }}
              key: {{ .key }}
        {{- end }}
        {{- end }}
      {{- end }}
      ports:
        - name: health
          containerPort: {{ .Values.health.port }}
        - name: metrics
          containerPort: {{ .Values.metrics.port }}
      readinessProbe:
        httpGet:
          path: /readyz
          port: health
        periodSeconds: 5
        failureThreshold: 3
      livenessProbe:
        httpGet:
          path: /livez
          port: health
        periodSeconds: 10
        timeoutSeconds: 5
        # A minute without an answer: a loop that busy is wedged, not working.
        failureThreshold: 6
      resources:
        {{- include "vcha.resources" . | nindent 8 }}
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: [ALL]
      volumeMounts:
        - name: targets
          mountPath: /config
          readOnly: true
        - name: data
          mountPath: /data
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: targets
      secret:
        secretName: {{ include "vcha.targetsSecret" . }}
        items:
          - key: targets.json
            path: targets.json
    - name: data
      emptyDir: {}
    - name: tmp
      emptyDir: {}
  {{- with .Values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
