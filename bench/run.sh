#!/usr/bin/env bash
# Builds Release and runs every benchmark in one run (push, idle RSS, pull), with each service as its own OS process.
# Writes bench/results/<UTC date>.md (a second run the same day replaces it). Needs RabbitMQ on 127.0.0.1:5672.
#   bench/run.sh                  everything, about 5 minutes on 2 cores
#   bench/run.sh --only push      one section (push, rss, pull); other flags in bench/README.md
set -euo pipefail
cd "$(dirname "$0")/.."

if ! timeout 2 bash -c '</dev/tcp/127.0.0.1/5672' 2>/dev/null; then
  scripts/services.sh
fi
dotnet build Pipeline.sln -c Release -nologo -v q

out="bench/results/$(date -u +%Y-%m-%d).md"
mkdir -p bench/results
status=0
dotnet bench/Par.Bench/bin/Release/net10.0/par-bench.dll --out "$out.tmp" "$@" || status=$?
[ -f "$out.tmp" ] && mv "$out.tmp" "$out" && echo "results: $out"
exit "$status"
