"""Pure analytics over plain values: goal pace, risk, KPI trends, 1:1 cadence,
review evidence and goal quality. No database access here; the tools load rows
and hand these functions dates and numbers.
"""
