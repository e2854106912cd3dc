# A small image with stslint (and nothing else): docker run --rm -v "$PWD:/src" stslint check .
# Build: docker build -t stslint .
FROM rust:1.88-slim AS build
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY rules rules
RUN cargo build --release --locked && strip target/release/stslint

# glibc, no shell: the binary needs nothing else.
FROM gcr.io/distroless/cc-debian12
COPY --from=build /build/target/release/stslint /usr/local/bin/stslint
WORKDIR /src
ENTRYPOINT ["stslint"]
CMD ["check", "."]
