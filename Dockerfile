# The function's runtime image, for those who build with Docker. `make xpkg` builds the same image
# without Docker (scripts/build-image.mjs): both take the root filesystem from scripts/build-rootfs.sh,
# which fetches only the pinned parts in image/runtime.lock, so the files are the same; the settings
# below match RUNTIME in scripts/build-image.mjs (test/package/packages.test.ts checks).
#
#   docker build -t function-devplatform:v0.1.0 .
#   crossplane xpkg build --package-root=package --embed-runtime-image=function-devplatform:v0.1.0

FROM node:24.21.0-bookworm AS build
WORKDIR /src
RUN apt-get update -q
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && scripts/build-rootfs.sh /rootfs

FROM scratch
COPY --from=build /rootfs /
ENV NODE_ENV=production
ENV NODE_OPTIONS="--max-semi-space-size=4 --max-old-space-size=512 --v8-pool-size=1"
WORKDIR /app
USER 65532:65532
EXPOSE 9443/tcp
EXPOSE 8080/tcp
LABEL org.opencontainers.image.title=function-devplatform
ENTRYPOINT ["/usr/local/bin/node", "/app/dist/functions/server/main.js"]
