#!/usr/bin/env bash
# Set up Coach on a new machine, seed the demo org (and its guidance index), then serve the
# web app with the embedded model. Extra arguments go to `coach serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export LANGSMITH_TRACING=false ANONYMIZED_TELEMETRY=False
.venv/bin/coach demo
exec .venv/bin/coach serve "$@"
