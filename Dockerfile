# One image for every prow-ts service: `prow start <service>` runs one, `prow <utility>` a pod utility.
# There is no build step: tsx (a runtime dependency) runs the TypeScript as it is.
FROM node:20-slim

# git: clonerefs in job Pods and Tide's train commits. ca-certificates: HTTPS to GitHub and storage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production
# The controller's Pods copy /app into /tools/prow-ts (services/controller/runner/pod-spec.ts): keep it here.
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY bin ./bin
COPY lib ./lib
COPY plugins ./plugins
COPY services ./services
COPY pod-utils ./pod-utils
COPY policy ./policy
COPY emulator ./emulator
COPY config ./config

# `node --import tsx` resolves tsx from the working directory, which a Pod may change: name the loader's path.
RUN printf '#!/bin/sh\nexec node --import /app/node_modules/tsx/dist/loader.mjs /app/bin/prow.ts "$@"\n' > /usr/local/bin/prow \
 && chmod 0755 /usr/local/bin/prow

# The image's `node` user, by number, so Kubernetes can check runAsNonRoot. The files stay root's: read-only to it.
USER 1000:1000

ENTRYPOINT ["prow"]
CMD ["--help"]
