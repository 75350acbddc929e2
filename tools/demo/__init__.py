"""The demo org (a small, realistic team with planted situations) and a scale generator.

``generate_demo(seed)`` returns a :class:`DemoOrg` (bundle, manifest, pinned today);
``generate_scale(employees, seed)`` returns a large bundle for benchmarks;
``tools.demo.seed.seed_database`` imports either into a database (``coach demo``).
"""
from tools.demo.org import DemoOrg, generate_demo
from tools.demo.scale import ScaleBundle, generate_scale

__all__ = ["DemoOrg", "ScaleBundle", "generate_demo", "generate_scale"]
