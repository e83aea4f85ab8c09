# vcha-failover-worker image: the worker (default command), the CLI and the simulator, with the
# workflow code prebuilt into dist/workflow-bundle.js so a worker starts without bundling.

# --- build: compile TypeScript and bundle the workflows ---------------------------------------
FROM node:20.18.1-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# --- runtime: production dependencies only, non-root ------------------------------------------
FROM node:20.18.1-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    VCHA_TARGETS_FILE=/config/targets.json \
    VCHA_AUDIT_DB=/data/vcha-audit.sqlite \
    VCHA_METRICS_ADDR=0.0.0.0:9464 \
    VCHA_HEALTH_ADDR=0.0.0.0:8080
COPY package.json package-lock.json ./
# Build tools only for the native module, removed in the same layer; ssh-keygen (openssh-client)
# stays: the worker verifies signed approvals with it (docs/approvals.md).
RUN apt-get update && apt-get install -y --no-install-recommends openssh-client python3 make g++ \
  && npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY src/simulator/scenarios ./scenarios
# The saved histories the gate workflow (vchaGate) replays on this image's workflow code.
COPY test/histories ./test/histories
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9464 8080
# Healthy once the worker polls its task queue (the health endpoint's /readyz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8080/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Exec form: SIGTERM reaches node directly, so the worker drains within VCHA_SHUTDOWN_GRACE_TIME.
CMD ["node", "dist/worker.js"]
