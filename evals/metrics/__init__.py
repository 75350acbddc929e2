"""Deterministic eval metrics, each a small function whose docstring states its exact definition.

- :mod:`evals.metrics.tools`: tool choice F1, forbidden calls, argument accuracy;
- :mod:`evals.metrics.grounding`: unsupported figures, citation validity and coverage, required facts;
- :mod:`evals.metrics.retrieval`: hit@k and reciprocal rank of guidance passages;
- :mod:`evals.metrics.coaching`: number, openness and grounding of coaching questions;
- :mod:`evals.metrics.review`: evidence spread, coded words, length, counterfactual, bias findings;
- :mod:`evals.metrics.safety`: injections, personal details, access leaks, refusals.
"""
