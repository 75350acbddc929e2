#!/usr/bin/env bash
# Set up everything the tests need on a new machine, start PostgreSQL, run the tests.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
export COACH_TEST_POSTGRES_URL=${COACH_TEST_POSTGRES_URL:-$(bash scripts/postgres.sh)}
export LANGSMITH_TRACING=false ANONYMIZED_TELEMETRY=False
exec .venv/bin/python -m pytest "$@"
