"""Evals that guard the assistant's output quality: cases as data (``evals/cases``), fixture orgs
(``evals/orgs``), deterministic metrics (``evals/metrics``), a runner with a response cache,
reports, and a gate against a committed baseline per model (``coach eval``)."""
