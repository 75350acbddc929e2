"""KV states of recent prompts for one llama.cpp model, so a call that returns to an earlier prompt resumes it.

llama.cpp reuses its KV cache only for the prefix a prompt shares with the *previous* one. An agent
that alternates prompts (its step prompt, then a final-answer prompt with another system message)
would evaluate the whole step prompt again on the next turn: 15 s and more for the 1.5B model. This
keeps the serialised KV states of recent calls (least recently used first out, bounded in bytes)
and, before a call, restores the one sharing the longest prefix with the new prompt when that beats
what the context already holds.

llama_cpp's own ``LlamaRAMCache`` does the same, but each of its saved states also copies the
n_tokens x vocabulary logits matrix (191 MB for a 315-token prompt to the 1.5B model), which took
1 to 5 s per call here and is left out of its memory bound. These states hold only llama.cpp's KV
data, about 29 KB per token for the 1.5B model.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_GAIN = 16  # tokens: restoring a state costs about as much as evaluating a handful of tokens


def common_prefix(a: np.ndarray, b: np.ndarray) -> int:
    """How many leading tokens ``a`` and ``b`` share."""
    n = min(len(a), len(b))
    differ = np.flatnonzero(a[:n] != b[:n])
    return int(differ[0]) if len(differ) else n


@dataclass(eq=False)  # compared by identity: == on the token arrays would compare them element-wise
class SavedState:
    tokens: np.ndarray  # the token ids whose keys and values the state holds
    data: Any  # ctypes byte array from llama_state_get_data

    @property
    def nbytes(self) -> int:
        return len(self.data) + self.tokens.nbytes


class PrefixStates:
    """Saved KV states of one ``Llama``; use under that model's lock. ``capacity_bytes=0`` disables it."""

    def __init__(self, capacity_bytes: int) -> None:
        self.capacity_bytes = capacity_bytes
        self.states: list[SavedState] = []  # oldest first

    def save(self, llama: Any) -> None:
        """Keep the state ``llama`` holds now (call after a completion)."""
        import llama_cpp

        tokens = llama.input_ids[: llama.n_tokens].copy()
        if not len(tokens) or self.capacity_bytes <= 0:
            return
        # A state this one extends matches no prompt better than this one does.
        self.states = [s for s in self.states if common_prefix(s.tokens, tokens) < len(s.tokens)]
        size = llama_cpp.llama_state_get_size(llama.ctx)
        data = (ctypes.c_uint8 * size)()
        if llama_cpp.llama_state_get_data(llama.ctx, data, size) != size:
            return  # llama.cpp could not serialise the state; keep going without it
        self.states.append(SavedState(tokens, data))
        while self.states and sum(s.nbytes for s in self.states) > self.capacity_bytes:
            self.states.pop(0)

    def restore(self, llama: Any, prompt: list[int]) -> int:
        """Load the saved state sharing the most of ``prompt`` if it beats the live one; returns tokens gained."""
        import llama_cpp

        wanted = np.asarray(prompt, dtype=llama.input_ids.dtype)
        live = common_prefix(llama.input_ids[: llama.n_tokens], wanted)
        best, shared = None, 0
        for state in self.states:
            n = common_prefix(state.tokens, wanted)
            if n > shared:
                best, shared = state, n
        if best is None or shared < live + MIN_GAIN:
            return 0
        if llama_cpp.llama_state_set_data(llama.ctx, best.data, len(best.data)) != len(best.data):
            llama.reset()  # a half-loaded state is useless: start the prompt afresh
            return 0
        llama.input_ids[: len(best.tokens)] = best.tokens
        # Claim only the shared part, and never the whole prompt: llama.cpp then drops the keys and
        # values past it and evaluates the rest, which refreshes the logits it samples from.
        llama.n_tokens = min(shared, len(prompt) - 1)
        self.states.remove(best)
        self.states.append(best)
        return llama.n_tokens - live
