# syntax=docker/dockerfile:1
# Build a static tfpricing binary and run it as a non-root user in a minimal
# image. The data file lives on a volume at /data, owned by that user.
#
#   docker build -t tfpricing .
#   docker run -v tfp:/data -v /path/to/prod.yaml:/etc/tfpricing.yaml:ro \
#     -e TFP_CONFIG=/etc/tfpricing.yaml -p 8080:8080 tfpricing
#
# The image listens on 0.0.0.0:8080. With the embedded development
# configuration (public keys) it refuses to start there unless TFP_DEV=1 is
# given: mount a configuration with real keys, or add -e TFP_DEV=1 to try it.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/tfpricing ./cmd/tfpricing
# The volume's mount point, created here because the runtime image has no
# shell: a named volume starts as a copy of it, owned by nonroot (65532).
RUN mkdir -p /out/data && chown 65532:65532 /out/data && chmod 0750 /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tfpricing /usr/local/bin/tfpricing
COPY --from=build --chown=65532:65532 /out/data /data
ENV TFP_DB=/data/tfpricing.db \
    TFP_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
# No shell or curl in the image: the binary probes itself (GET /healthz on
# the loopback, TFP_ADDR's port). Orchestrators may probe /healthz and
# /readyz over HTTP instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/tfpricing", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/tfpricing"]
CMD ["serve"]
