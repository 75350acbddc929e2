"""The demo org (a small, realistic team with planted situations) and a scale generator.

``generate_demo(seed)`` returns a :class:`DemoOrg` (bundle, manifest, pinned today);
``generate_scale(employees, seed)`` returns a large bundle for benchmarks;
``seed_database`` imports either into a database (used by ``coach demo``).
"""
from tools.demo.org import DemoOrg, generate_demo

__all__ = ["DemoOrg", "generate_demo"]
