"""The team: agreement (kappa, alpha, span P/R/F1), merging annotators' stores with conflicts to adjudicate,
and statistics. Above find/, store/ and text/; beside formats/."""

from annotations.team.agreement import compare
from annotations.team.merge import merge_stores
from annotations.team.stats import compute

__all__ = ["compare", "compute", "merge_stores"]
