"""Words about claims that more than one stage needs: which qualifiers state a figure exactly."""

# A claim that states its figure as a fact: plain, one part of a total (其中), or a running total (累计). An
# approximate figure (余, 约), a bound, a plan, a rule, a rate or a change is never held to exact arithmetic.
EXACT = (None, "part", "cumulative")
# Exact, and a figure of the report's own year (a running total is not).
EXACT_OF_THE_YEAR = (None, "part")
