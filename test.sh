#!/usr/bin/env bash
# Runs every test: starts the real services they use (RabbitMQ), then the whole solution's tests.
set -euo pipefail
cd "$(dirname "$0")"

scripts/services.sh
dotnet build Pipeline.sln -c Release -nologo -v q
out=$(mktemp)
set +e
dotnet test Pipeline.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
set -e
# One plain summary line for readers (and CI) of the whole run.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$out"
rm -f "$out"
[ "$status" -eq 0 ] || exit "$status"

# The README's quick start, end to end: emulator + runner, one push request and one pull task.
./run.sh --once
