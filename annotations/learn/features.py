"""What the sequence labeller sees of each token: the word, its folded form (the search folding), its
prefixes and suffixes, its stem with clitics cut off, its shape (Arabic, Latin, digits, punctuation), whether
the user's gazetteer holds it, and the same for its neighbours."""

from __future__ import annotations

import unicodedata

from annotations.find.search import PREFIX_CHAINS, fold
from annotations.text.tokenize import Token

_LONGEST_CHAINS = sorted(PREFIX_CHAINS, key=len, reverse=True)


def visible(text: str) -> str:
    """The token without bidi controls (LRM and friends lead many a token in real data)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def stem(folded: str) -> str:
    """The folded word with a clitic chain (و ف ب ك ل ال ...) cut off its front, keeping two letters at least."""
    for chain in _LONGEST_CHAINS:
        if chain and folded.startswith(chain) and len(folded) - len(chain) >= 2:
            return folded[len(chain) :]
    return folded


def shape(word: str) -> str:
    if not word:
        return "empty"
    kinds = set()
    for ch in word:
        if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u08ff" or "\ufb50" <= ch <= "\ufeff":
            kinds.add("ar")
        elif ch.isdigit():
            kinds.add("digit")
        elif ch.isalpha():
            kinds.add("latin-upper" if ch.isupper() else "latin")
        else:
            kinds.add("punct")
    return "+".join(sorted(kinds))


def token_facts(token: Token, gazetteer: dict[str, str]) -> dict[str, str]:
    word = visible(token.text)
    folded = fold(word).text
    root = stem(folded)
    facts = {"w": word, "f": folded, "stem": root, "shape": shape(word), "len": str(min(len(folded), 8))}
    for n in (1, 2, 3):
        facts[f"p{n}"] = folded[:n]
        facts[f"s{n}"] = folded[-n:]
    label = gazetteer.get(folded) or gazetteer.get(root)
    if label:
        facts["gaz"] = label
    return facts


NEIGHBOUR_FACTS = ("w", "stem", "shape", "gaz")
"""What the model sees of each of the two neighbours on either side. The token itself is seen by its folded
form, not its raw word (chosen on a development split of NewsFANE's training part, never its test: raw word
on the token and folded form on the neighbours cost 0.009 F1 and 40% more training time)."""
OWN_FACTS_LEFT_OUT = ("w",)


def sentence_features(tokens: list[Token], gazetteer: dict[str, str]) -> list[list[str]]:
    """crfsuite's item features for each token: `name=value` strings, neighbours within two tokens."""
    facts = [token_facts(t, gazetteer) for t in tokens]
    out = []
    for i, own in enumerate(facts):
        features = ["bias"] + [f"{k}={v}" for k, v in own.items() if k not in OWN_FACTS_LEFT_OUT]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(facts):
                features += [f"{offset}:{k}={facts[j][k]}" for k in NEIGHBOUR_FACTS if k in facts[j]]
            else:
                features.append(f"{offset}:{'BOS' if j < 0 else 'EOS'}")
        if i + 1 < len(facts):
            features.append(f"bigram={own['f']}|{facts[i + 1]['f']}")
        out.append(features)
    return out


def gazetteer_entries(spans_text_label: list[tuple[str, str]]) -> dict[str, str]:
    """Folded token (and its stem) -> the label it was most often part of, from (entity text, label) pairs."""
    votes: dict[str, dict[str, int]] = {}
    for text, label in spans_text_label:
        for word in visible(text).split():
            folded = fold(word).text
            for key in {folded, stem(folded)}:
                if len(key) > 1:
                    counts = votes.setdefault(key, {})
                    counts[label] = counts.get(label, 0) + 1
    return {key: max(counts, key=counts.__getitem__) for key, counts in votes.items()}
