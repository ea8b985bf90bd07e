# shellcheck shell=bash
# Reads what a proxy image ships, so the benchmarks run exactly that; sourced by bench/run.sh and
# bench/lib.sh. Paths are relative to the repository root unless absolute.

# dockerfile_env [FILE]: the DOTNET_* variables of FILE's ENV instructions (default src/Proxy/Dockerfile).
dockerfile_env() { sed -n '/^ENV DOTNET_/,/[^\\]$/p' "${1:-src/Proxy/Dockerfile}" | grep -o 'DOTNET_[A-Za-z0-9_]*=[^ \\]*' | tr '\n' ' '; }

# dockerfile_publish FILE: the arguments of FILE's `RUN dotnet publish src/Proxy/Proxy.csproj … -o /app` line.
dockerfile_publish() { sed -n 's|^RUN dotnet publish src/Proxy/Proxy.csproj \(.*\) -o /app.*|\1|p' "$1"; }
