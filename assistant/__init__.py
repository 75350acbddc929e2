"""Coach's assistant: settings, model providers, the agent loop, prompts and grounding."""
