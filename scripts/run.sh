#!/usr/bin/env bash
# Set up Coach on a new machine, seed the demo org and start the main job.
# Extra arguments go to `coach serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export LANGSMITH_TRACING=false ANONYMIZED_TELEMETRY=False
.venv/bin/coach demo
if .venv/bin/coach serve --help >/dev/null 2>&1; then
  exec .venv/bin/coach serve "$@"
fi
# Until the web app lands, the main job is a cited answer on the command line.
exec .venv/bin/coach ask --as "${COACH_DEMO_MANAGER:-priya.nair@demo.coach}" "Why is Dana's backlog goal off track?"
