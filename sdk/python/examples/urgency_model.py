"""A model server speaking the Open Inference Protocol (REST), as Triton or KServe would, with two toy models.

* ``urgency``: text in (BYTES [batch, 1]), ``probabilities`` of [low, high] out (FP32 [batch, 2]), and
  ``batch_size`` (INT32 [batch, 1]): how many documents the request carried, so batching can be seen.
* ``vector-sum``: a vector in (FP32 [batch, n]), its ``sum`` out (FP32 [batch, 1]).

``--delay-ms`` adds a fixed cost per request (a stand-in for a GPU's), for benchmarks::

    python3 sdk/python/examples/urgency_model.py --port 8500

    - name: urgency
      version: 1.0.0
      kind: inference
      options:
        url: http://127.0.0.1:8500
        model: urgency
        inputs: { text: text }
        labels: [low, high]
        scores: probabilities
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from herald_annotator import Model, Tensor, TensorSpec, serve_models  # noqa: E402

URGENT = ("breaking", "urgent", "immediately", "halts", "recall", "emergency", "now")


class Urgency(Model):
    name = "urgency"
    inputs = [TensorSpec("text", "BYTES", [-1, 1])]
    outputs = [TensorSpec("probabilities", "FP32", [-1, 2]), TensorSpec("batch_size", "INT32", [-1, 1])]

    def __init__(self, delay_ms: float = 0):
        self.delay = delay_ms / 1000

    def infer(self, inputs):
        if self.delay:
            time.sleep(self.delay)
        texts = [row[0] for row in inputs["text"].rows()]
        rows = []
        for text in texts:
            hits = sum(text.lower().count(word) for word in URGENT)
            high = min(0.95, 0.1 + 0.4 * hits)
            rows.append([round(1 - high, 4), round(high, 4)])
        return {"probabilities": Tensor.of_rows("FP32", rows),
                "batch_size": Tensor.of_rows("INT32", [[len(texts)] for _ in texts])}


class VectorSum(Model):
    name = "vector-sum"
    inputs = [TensorSpec("vector", "FP32", [-1, -1])]
    outputs = [TensorSpec("sum", "FP32", [-1, 1])]

    def infer(self, inputs):
        return {"sum": Tensor.of_rows("FP32", [[sum(row)] for row in inputs["vector"].rows()])}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--delay-ms", type=float, default=0)
    args = parser.parse_args()
    serve_models([Urgency(args.delay_ms), VectorSum()], args.host, args.port)
