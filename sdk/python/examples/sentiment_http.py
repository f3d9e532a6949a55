"""An http annotator: lexicon sentiment of a news item, with a span per word that decided it.

Run it, then point an annotator of kind ``http`` at it::

    python3 sdk/python/examples/sentiment_http.py --port 8000

    - name: sentiment
      version: 1.0.0
      kind: http
      requires: ["event-type@^1?"]   # optional: used when present
      options: { url: http://127.0.0.1:8000/ }
"""

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from herald_annotator import Result, Span, annotator, serve  # noqa: E402

POSITIVE = {"raises", "raised", "growth", "record", "expands", "wins", "surges", "profit", "backed", "leads"}
NEGATIVE = {"layoffs", "cuts", "lawsuit", "halts", "recall", "losses", "bankruptcy", "fraud", "resigns", "delays"}


DELAY_SECONDS = 0.0


@annotator
def sentiment(document, dependencies):
    if DELAY_SECONDS:
        time.sleep(DELAY_SECONDS)
    text = document.get("text", "")
    spans = []
    score = 0
    for match in re.finditer(r"[A-Za-z]+", text):
        word = match.group(0).lower()
        if word in POSITIVE or word in NEGATIVE:
            polarity = 1 if word in POSITIVE else -1
            score += polarity
            # Python counts code points, Herald UTF-16 units: they agree on text without astral characters.
            spans.append(Span(match.start(), match.end(), "positive" if polarity > 0 else "negative", 1.0, match.group(0)))
    label = "positive" if score > 0 else "negative" if score < 0 else "neutral"
    value = {"label": label, "score": score}
    event = dependencies.get("event-type")
    if event is not None and isinstance(event.value, dict):
        value["event"] = event.value.get("label")
    return Result(value, spans)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--token-env", help="require Authorization: Bearer $VAR, the variable named here")
    parser.add_argument("--delay-ms", type=float, default=0, help="a fixed cost per document, for benchmarks and tests")
    args = parser.parse_args()
    DELAY_SECONDS = args.delay_ms / 1000
    serve(sentiment, args.host, args.port, os.environ[args.token_env] if args.token_env else None)
