"""The limits and thresholds the analyses use by default, apart from them so that a face can name
them (in its help and its form bounds) without loading the solver."""

ALL_OPTIMAL_LIMIT = 10_000  # optimal sets listed at most (`complete` says whether that was all)

# Enumeration lists every set: 100,000 take about 5 s and 100 MB. A qualification of 40 free units
# has 2^40 sets, so the count stops here and says it is a lower bound (raise it with `limit`).
COUNT_LIMIT = 100_000

CANDIDATES = 3  # Maybes shown for one achieved unit, in transfer suggestions

THRESHOLD = 0.62  # similarity score at or above which a pair of units is a Maybe

QUICK_UNITS = 40  # qualifications this small are answered from their list of valid sets (analysis/quick.py)
