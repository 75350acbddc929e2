"""The smoke eval suite on the real embedded model must pass the gate against the committed baseline.

Slow (about 30 model calls; 10 to 15 minutes on 2 free cores): marked ``model``. The same check from
the shell: ``coach eval --suite smoke --model local`` (exit status 1 when the gate fails).
"""
import pytest

from assistant.settings import Settings
from evals.evaluate import run_eval
from evals.gate import load_baseline


@pytest.mark.model
def test_smoke_suite_on_the_local_model_passes_the_gate(tmp_path):
    if load_baseline("local") is None:
        pytest.skip("no baseline committed for the local model yet (evals/baselines/local.json): "
                    "run coach eval --suite smoke --model local --update-baseline")
    settings = Settings(_env_file=None, llm_provider="local")  # the packaged model, assembled under .coach/models
    run = run_eval("local", "smoke", tmp_path / "out", settings, cache_dir=tmp_path / "cache")
    assert run.meta["model_calls"] - run.meta["cache_hits"] >= 20  # a fresh cache: the model really ran
    assert run.gate.passed, "\n".join(run.gate.failures) + f"\nreport: {run.outputs['report']}"
