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
ENV ASPNETCORE_URLS=http://+:8080 \
    DockerDash__DataDirectory=/data
# The image's unprivileged user (uid 1654). To use the engine socket it needs the socket's group: see docker-compose.yml.
USER $APP_UID
EXPOSE 8080
VOLUME /data
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/app/DockerDash", "healthcheck"]
ENTRYPOINT ["/app/DockerDash"]
