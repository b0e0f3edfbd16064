"""Learning: a CRF per span layer trained on the store's own annotations, suggesting spans with a score,
measured on held-out articles and switched off below a threshold. Above find/, store/ and text/."""

from annotations.learn.recommender import Recommender

__all__ = ["Recommender"]
