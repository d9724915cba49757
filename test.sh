#!/usr/bin/env bash
# Runs every test: starts the real services they use (RabbitMQ), runs the whole solution's tests, then the README's
# quick start once (emulator + runner, one push request and one pull task) so the first command is proven too.
set -euo pipefail
cd "$(dirname "$0")"

scripts/services.sh
dotnet build Pipeline.sln -c Release -nologo -v q
out=$(mktemp)
set +e
# A test that hangs is stopped after 5 minutes and named (TestResults/*/Sequence_*.xml), instead of hanging CI.
dotnet test Pipeline.sln -c Release --no-build -nologo --blame-hang-timeout 5m --blame-hang-dump-type none "$@" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
./run.sh --once
quickstart=$?
set -e

# One plain closing line for readers (and CI) of the whole run; the quick start counts as one test.
awk -v q="$quickstart" '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { if (q == 0) p++; else f++; printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$out"
rm -f "$out"
[ "$status" -eq 0 ] && [ "$quickstart" -eq 0 ]
