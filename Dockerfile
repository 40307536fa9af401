# syntax=docker/dockerfile:1
# Two images from one file:
#   docker build -t scifi-bot .                 → CPU image (tfjs-node if it installs, else wasm)
#   docker build -t scifi-bot:gpu --target gpu . → CUDA image for tfjs-node-gpu
# Run either with your tokens: docker run --env-file .env -v scifi-data:/app/data scifi-bot

############################ GPU ############################
# tfjs-node-gpu 4.22 binds libtensorflow 2.9.1, whose tested GPU stack is CUDA 11.2 + cuDNN 8.1:
# this base provides exactly those libraries. Its npm install downloads libtensorflow, so build
# where the builder can reach the internet.
FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS gpu
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl gnupg python3 make g++ \
 && curl -fsSL https://deb.nodesource.com/setup_20.x | bash - \
 && apt-get install -y --no-install-recommends nodejs \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# npm skips an optional dependency whose install fails; installing tfjs-node-gpu explicitly makes
# a failed libtensorflow download fail the build instead of silently yielding a CPU image.
RUN npm ci --omit=dev --no-audit --no-fund && npm install --no-save @tensorflow/tfjs-node-gpu@4.22.0
COPY . .
RUN useradd --create-home node && mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production TF_BACKEND=tensorflow DATA_DIR=/app/data
VOLUME ["/app/data"]
EXPOSE 3000 9464
USER node
CMD ["node", "--import", "tsx", "src/main.ts"]

############################ CPU (default) ############################
FROM node:20-bookworm-slim AS cpu
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# tfjs-node (optional) is used when its libtensorflow download succeeds; otherwise wasm runs.
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN mkdir -p /app/data && chown node:node /app/data
ENV NODE_ENV=production DATA_DIR=/app/data
VOLUME ["/app/data"]
# 3000: Slack HTTP events; 9464: METRICS_PORT if you set it to that.
EXPOSE 3000 9464
USER node
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(process.env.METRICS_PORT?1:0))"
CMD ["node", "--import", "tsx", "src/main.ts"]
