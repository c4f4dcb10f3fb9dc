"""The local engine's text analysis: French and English stemming over lowercase, accent-folded words.

Elided articles (l', d', qu'...) are split off by the tokenizer and dropped. Stop words are dropped from
queries only, so a name made of common words can still be found by its words.
"""

from __future__ import annotations

import tantivy

ELISIONS = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "quoiqu", "lorsqu", "puisqu"]
FRENCH, ENGLISH, FOLDED = "salon_fr", "salon_en", "salon_folded"


def _chain(*filters: tantivy.Filter) -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    for step in (tantivy.Filter.remove_long(40), tantivy.Filter.lowercase(), *filters):
        builder = builder.filter(step)
    return builder.build()


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """Index-side analyzers by the name the schema refers to."""
    elision = tantivy.Filter.custom_stopword(ELISIONS)
    fold = tantivy.Filter.ascii_fold()
    return {
        FRENCH: _chain(elision, fold, tantivy.Filter.stemmer("french")),
        ENGLISH: _chain(elision, fold, tantivy.Filter.stemmer("english")),
        FOLDED: _chain(elision, fold),
    }


def query_words() -> tantivy.TextAnalyzer:
    """Splits a typed query into folded words, without stop words of either language."""
    return _chain(
        tantivy.Filter.custom_stopword(ELISIONS),
        tantivy.Filter.stopword("french"),
        tantivy.Filter.stopword("english"),
        tantivy.Filter.ascii_fold(),
    )
