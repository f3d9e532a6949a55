# syntax=docker/dockerfile:1
# The Herald silo image. Build from the repository root:
#
#   docker build -t herald:0.1.0 .
#   docker buildx build --platform linux/amd64,linux/arm64 -t registry.example.com/herald:0.1.0 --push .
#
# The publish is framework-dependent and portable (no runtime identifier), so one build stage serves every
# target architecture: the native libraries of Confluent.Kafka (librdkafka) and ONNX Runtime for each Linux
# architecture travel in runtimes/<rid>/native/ and are picked at run time.
# See docs/DEPLOYING.md for running it on Kubernetes (helm/herald).

ARG DOTNET_VERSION=10.0

# ---------------------------------------------------------------------------------------------- build
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Everything the silo's project graph needs; .dockerignore keeps out bin/, obj/, tests/ and .git.
COPY . .
# The NuGet cache mount keeps restores fast across builds without a hand-kept list of project files.
# - UseAppHost=false: started with `dotnet Herald.Silo.dll`, no native launcher needed.
# - Source control queries are off because .git is not in the build context (they would only warn).
# - Warnings stay warnings here: the repository's CI builds with warnings as errors; an image build must not
#   start failing because nuget.org published a new advisory (NU190x audit warnings) for a dependency.
RUN --mount=type=cache,id=herald-nuget,target=/root/.nuget/packages \
    dotnet publish Silo -c Release -o /app \
        -p:UseAppHost=false \
        -p:EnableSourceControlManagerQueries=false \
        -p:TreatWarningsAsErrors=false

# ---------------------------------------------------------------------------------------------- runtime
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="herald-silo" \
      org.opencontainers.image.description="Herald: an Orleans 10 silo annotating a Kafka stream of news with versioned annotator pipelines" \
      org.opencontainers.image.version="${VERSION}"

# ICU: the annotators normalise Unicode (NFD for BERT tokenization) and need real globalization, not the
# invariant mode. The package is named after its ICU version (libicu74 on Ubuntu 24.04, the distribution
# of the 10.0 tags): install whichever the base distribution has.
RUN set -eux; \
    apt-get update; \
    icu=$(apt-cache pkgnames libicu | grep -E '^libicu[0-9]+$' | sort -V | tail -n 1); \
    test -n "$icu"; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$icu"; \
    rm -rf /var/lib/apt/lists/*

# A fixed non-root user (uid/gid 10001) that Kubernetes' runAsNonRoot can verify by number.
RUN groupadd --system --gid 10001 herald \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/herald --create-home --shell /usr/sbin/nologin herald

ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    Herald__Http__Urls=http://0.0.0.0:8080

WORKDIR /app
# Owned by root and read-only for the silo's user: the application never writes beside itself.
COPY --from=build /app ./

USER 10001:10001
# 11111 silo-to-silo, 30000 client gateway, 8080 HTTP API, health, metrics and dashboard.
EXPOSE 11111 30000 8080
ENTRYPOINT ["dotnet", "Herald.Silo.dll"]
