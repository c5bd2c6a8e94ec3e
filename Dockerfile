# syntax=docker/dockerfile:1
# Build a static tfpricing binary and run it as a non-root user in a minimal
# image. The data file lives on a volume at /data.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/tfpricing ./cmd/tfpricing

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tfpricing /usr/local/bin/tfpricing
VOLUME ["/data"]
ENV TFP_DB=/data/tfpricing.db \
    TFP_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/tfpricing"]
CMD ["serve"]
