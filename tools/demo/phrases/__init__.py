"""Sentence banks the demo org's prose is built from."""
