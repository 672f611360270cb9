# DockerDash container image. Not built by the tests (base images cannot be pulled on the CI machines);
# build it where a registry is reachable:  docker build -t dockerdash .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# The build fetches the browser libraries the app serves itself (xterm.js) with npm.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY . .
# The lean publish (src/DockerDash/DockerDash.csproj): self-contained, every assembly as IL only, nothing trimmed;
# about 30 MB less memory than the shared framework's precompiled assemblies (README, Performance).
RUN dotnet publish src/DockerDash/DockerDash.csproj -c Release -p:LeanPublish=true -o /app

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown "$APP_UID" /data
# glibc's malloc (the runtime's own native memory; the GC's heap is not malloc's): each thread that allocates at the same
# time as another gets its own arena, up to 8 per core, and each keeps what it once held; and a block of 128 KB or more
# freed raises the size from which blocks are mapped on their own (and given back when freed), so that the JIT's 64 KB
# working blocks, freed after each compilation, stayed in the heap. Two arenas and a fixed 64 KB threshold held an idle
# server 146 MB instead of 153, and with 200 log viewers 177 instead of 188 (bench/results/memory-malloc.md).
ENV ASPNETCORE_URLS=http://+:8080 \
    DockerDash__DataDirectory=/data \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=65536
# The image's unprivileged user (uid 1654). To use the engine socket it needs the socket's group: see docker-compose.yml.
USER $APP_UID
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/app/DockerDash", "healthcheck"]
ENTRYPOINT ["/app/DockerDash"]
