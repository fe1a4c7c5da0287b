# roleaudit in a container: built with the Swift toolchain, run on slim Debian with nothing of Swift.
# README "Install" describes it; Tests/CLITests/InstallTests.swift keeps its build command the one
# .ci/run uses (--static-swift-stdlib: the Swift runtime and Foundation are linked in).
#
#   docker build -t roleaudit .
#   docker run --rm -v "$PWD:/work" roleaudit scan exports/ --output reports/

FROM swift:6.3-bookworm AS build
# Not pinned (DL3008): the image's Debian release fixes the versions, and its security updates apply.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libxml2-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest names the test targets too: their folders must be there for it to load.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product roleaudit \
    && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/roleaudit" /out/roleaudit

FROM debian:bookworm-slim
# Only the C libraries roleaudit links from the system (and CA certificates for `roleaudit collect`).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libxml2 libsqlite3-0 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /work roleaudit
COPY --from=build /out/roleaudit /usr/local/bin/roleaudit
USER 10001
WORKDIR /work
ENTRYPOINT ["roleaudit"]
CMD ["--help"]
