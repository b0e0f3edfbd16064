"""A writer process for the crash and two-writer tests: it adds and deletes spans and reports each one on
stdout only after the store call returned (that is, after it was acknowledged as saved).

    python -m tests.store_writer STORE SEED [COUNT] [DELETE_SHARE]
Lines: "ready", then "adding ID" / "added ID", "deleting ID" / "deleted ID" ("refused ID" for a duplicate).
COUNT 0 runs until killed. A small compaction threshold makes kills land during compaction too.
"""

from __future__ import annotations

import random
import sys

from annotations.store.links import DuplicateSpan
from annotations.store.store import Store


def main() -> None:
    path, seed = sys.argv[1], int(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    delete_share = float(sys.argv[4]) if len(sys.argv) > 4 else 0.3
    store = Store(path, annotator=f"writer{seed}", compact_bytes=20_000)
    articles = store.articles()
    rng = random.Random(seed)
    mine = []
    print("ready", flush=True)
    done = 0
    while not count or done < count:
        done += 1
        if mine and rng.random() < delete_share:
            span = mine.pop(rng.randrange(len(mine)))
            print(f"deleting {span.id}", flush=True)
            store.delete_span(span.article_id, span.id)
            print(f"deleted {span.id}", flush=True)
            continue
        article = rng.choice(articles)
        start = rng.randrange(len(article.text) - 12)
        span = store.new_span(
            article, start, start + rng.randint(1, 10), "entity", rng.choice(["PER", "ORG"])
        )
        print(f"adding {span.id}", flush=True)
        try:
            store.add_spans(article.id, [span], "tag")
        except DuplicateSpan:
            print(f"refused {span.id}", flush=True)
            continue
        print(f"added {span.id}", flush=True)
        mine.append(span)


if __name__ == "__main__":
    main()
