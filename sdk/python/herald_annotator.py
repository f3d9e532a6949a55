"""Herald annotators in Python, with nothing but the standard library.

Two ways for a model to join a Herald pipeline as a remote annotator:

* an ``http`` annotator: a function of the document and its dependencies' values, served as the JSON webhook
  of Herald's ``http`` kind::

      @annotator
      def sentiment(document, dependencies):
          return {"label": "positive"}

      serve(sentiment, port=8000)

* an ``inference`` model: a class answering tensors, served over the Open Inference Protocol's REST binding
  (the API of Triton, KServe and MLServer), which Herald's ``inference`` kind calls with batches::

      class Urgency(Model):
          name = "urgency"
          inputs = [TensorSpec("text", "BYTES", [-1, 1])]
          outputs = [TensorSpec("probabilities", "FP32", [-1, 2])]

          def infer(self, inputs):
              texts = inputs["text"].rows()
              return {"probabilities": Tensor.of_rows("FP32", [[0.5, 0.5] for _ in texts])}

      serve_models([Urgency()], port=8500)

Both servers are threaded, answer on the address given (port 0 picks a free one) and print one line,
``listening on http://HOST:PORT``, once they accept connections.
"""

import json
import math
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Sequence

__all__ = ["annotator", "Result", "Span", "Dependency", "serve", "Model", "Tensor", "TensorSpec", "serve_models", "request_headers"]

_request = threading.local()


def request_headers() -> Dict[str, str]:
    """The HTTP headers of the request this thread is answering, lower-cased: ``traceparent`` continues Herald's trace."""
    return getattr(_request, "headers", {})


# ---- the http kind ------------------------------------------------------------------------------------------------

class Span:
    """A labelled range of the document text, in UTF-16 code units as Herald counts them (``end`` exclusive)."""

    def __init__(self, start: int, end: int, label: str, score: float = 1.0, text: Optional[str] = None):
        self.start, self.end, self.label, self.score, self.text = start, end, label, score, text

    def to_json(self) -> Dict[str, Any]:
        span = {"start": self.start, "end": self.end, "label": self.label, "score": self.score}
        if self.text is not None:
            span["text"] = self.text
        return span


class Result:
    """What an annotator returns when it has spans as well as a value."""

    def __init__(self, value: Any, spans: Sequence[Span] = ()):
        self.value, self.spans = value, list(spans)


class Dependency:
    """The result of an annotator this one requires: its ``version`` and ``value``."""

    def __init__(self, version: str, value: Any):
        self.version, self.value = version, value


def annotator(function: Callable[[Dict[str, Any], Dict[str, Dependency]], Any]):
    """Marks ``function(document, dependencies)`` as an annotator; it returns a JSON-able value or a :class:`Result`."""
    function.__herald_annotator__ = True
    return function


def handle_annotation(function, body: bytes) -> Dict[str, Any]:
    """One request of Herald's http kind, answered as a dict (exposed for tests and other servers)."""
    request = json.loads(body)
    if not isinstance(request, dict) or not isinstance(request.get("document"), dict):
        raise ValueError('the request must be {"document": {...}, "dependencies": {...}}')
    dependencies = {name: Dependency(d.get("version", ""), d.get("value"))
                    for name, d in (request.get("dependencies") or {}).items()}
    result = function(request["document"], dependencies)
    if isinstance(result, Result):
        return {"value": result.value, "spans": [s.to_json() for s in result.spans]}
    return {"value": result}


def serve(function, host: str = "127.0.0.1", port: int = 8000, token: Optional[str] = None) -> None:
    """Serves one annotator until interrupted: ``POST /`` annotates, ``GET /`` and ``HEAD /`` answer 200 (health).

    With ``token``, a POST must carry ``Authorization: Bearer <token>`` (Herald sends it with ``headersFromEnv``).
    """

    class Handler(_JsonHandler):
        def do_POST(self):
            if token is not None and self.headers.get("Authorization") != f"Bearer {token}":
                self.read_body()
                return self.send_json(401, {"error": "send Authorization: Bearer <token>"})
            try:
                answer = handle_annotation(function, self.read_body())
            except ValueError as e:
                return self.send_json(400, {"error": str(e)})
            except Exception as e:  # the annotator's own failure: Herald records it and retries
                traceback.print_exc(file=sys.stderr)
                return self.send_json(500, {"error": f"{type(e).__name__}: {e}"})
            self.send_json(200, answer)

        def do_GET(self):
            self.send_json(200, {"annotator": getattr(function, "__name__", "annotator"), "ready": True})

        def do_HEAD(self):
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    _run(Handler, host, port)


# ---- the inference kind (Open Inference Protocol, REST) -------------------------------------------------------------

class TensorSpec:
    """A tensor as a model declares it: name, datatype (BYTES, FP32, INT64, ...) and shape (-1 for the batch)."""

    def __init__(self, name: str, datatype: str, shape: Sequence[int]):
        self.name, self.datatype, self.shape = name, datatype, list(shape)

    def to_json(self) -> Dict[str, Any]:
        return {"name": self.name, "datatype": self.datatype, "shape": self.shape}


class Tensor:
    """Tensor data as the protocol carries it: flattened row-major ``data`` with its ``shape`` (batch first)."""

    def __init__(self, datatype: str, shape: Sequence[int], data: List[Any]):
        self.datatype, self.shape, self.data = datatype, list(shape), data

    @staticmethod
    def of_rows(datatype: str, rows: Sequence[Sequence[Any]]) -> "Tensor":
        width = len(rows[0]) if rows else 0
        return Tensor(datatype, [len(rows), width], [value for row in rows for value in row])

    def rows(self) -> List[List[Any]]:
        """One list per document of the batch."""
        batch = self.shape[0] if self.shape else 1
        width = math.prod(self.shape[1:]) if len(self.shape) > 1 else 1
        return [self.data[i * width:(i + 1) * width] for i in range(batch)]


class Model:
    """Subclass with ``name``, ``inputs``, ``outputs`` and ``infer(inputs) -> {output name: Tensor}``."""

    name: str = "model"
    version: str = "1"
    platform: str = "python"
    inputs: List[TensorSpec] = []
    outputs: List[TensorSpec] = []

    def infer(self, inputs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        raise NotImplementedError

    def metadata(self) -> Dict[str, Any]:
        return {"name": self.name, "versions": [self.version], "platform": self.platform,
                "inputs": [t.to_json() for t in self.inputs], "outputs": [t.to_json() for t in self.outputs]}


def _flatten(data: Any) -> List[Any]:
    if isinstance(data, list):
        return [item for element in data for item in _flatten(element)]
    return [data]


def serve_models(models: Sequence[Model], host: str = "127.0.0.1", port: int = 8500) -> None:
    """Serves models over the protocol's REST routes until interrupted: health, model metadata and infer."""
    by_name = {model.name: model for model in models}

    class Handler(_JsonHandler):
        def model_route(self):
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            if len(parts) < 3 or parts[:2] != ["v2", "models"]:
                return None, None, parts
            model = by_name.get(parts[2])
            rest = parts[3:]
            if len(rest) >= 2 and rest[0] == "versions":
                if model is not None and rest[1] != model.version:
                    model = None
                rest = rest[2:]
            return model, rest, parts

        def do_GET(self):
            if self.path in ("/v2/health/live", "/v2/health/ready"):
                return self.send_json(200, {"live": True, "ready": True})
            if self.path == "/v2":
                return self.send_json(200, {"name": "herald-python", "version": "1", "extensions": []})
            model, rest, _ = self.model_route()
            if model is None:
                return self.send_json(404, {"error": f"unknown model in {self.path}"})
            if rest == ["ready"]:
                return self.send_json(200, {"name": model.name, "ready": True})
            if rest == []:
                return self.send_json(200, model.metadata())
            self.send_json(404, {"error": f"no route {self.path}"})

        def do_POST(self):
            model, rest, _ = self.model_route()
            if model is None or rest != ["infer"]:
                return self.send_json(404, {"error": f"unknown model or route {self.path}"})
            try:
                request = json.loads(self.read_body())
                inputs = {t["name"]: Tensor(t["datatype"], t["shape"], _flatten(t["data"])) for t in request["inputs"]}
                declared = {t.name for t in model.inputs}
                unknown = [name for name in inputs if name not in declared]
                if unknown:
                    return self.send_json(400, {"error": f"model {model.name} has no input {', '.join(unknown)}"})
            except (ValueError, KeyError, TypeError) as e:
                return self.send_json(400, {"error": f"bad inference request: {e}"})
            try:
                outputs = model.infer(inputs)
            except Exception as e:
                traceback.print_exc(file=sys.stderr)
                return self.send_json(500, {"error": f"{type(e).__name__}: {e}"})
            answer = {"model_name": model.name, "model_version": model.version,
                      "outputs": [{"name": name, "datatype": t.datatype, "shape": t.shape, "data": t.data}
                                  for name, t in outputs.items()]}
            if "id" in request:
                answer["id"] = request["id"]
            self.send_json(200, answer)

    _run(Handler, host, port)


# ---- shared plumbing ------------------------------------------------------------------------------------------------

class _JsonHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Herald reuses its connections

    def read_body(self) -> bytes:
        _request.headers = {name.lower(): value for name, value in self.headers.items()}
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _read_chunked(self) -> bytes:
        """A body sent in chunks (HTTP/1.1 clients that stream, .NET's JSON content among them)."""
        body = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(body)
            body += self.rfile.read(size)
            self.rfile.readline()  # the CRLF after each chunk

    def send_json(self, status: int, body: Any) -> None:
        payload = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # one line per request is noise at model-serving rates
        pass


def _run(handler, host: str, port: int) -> None:
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    print(f"listening on http://{server.server_address[0]}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
