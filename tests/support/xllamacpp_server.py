"""llama.cpp's own HTTP server, with parallel slots and continuous batching, from the `xllamacpp`
wheel (no build needed), as a process that runs until it is stopped:

    python -m tests.support.xllamacpp_server --model MODEL.gguf --port 8080 --parallel 4

It serves the OpenAI-compatible API at http://127.0.0.1:PORT/v1. The load test measures it next to
llama_cpp.server (docs/benchmarks.md). xllamacpp is not a MentorPrep dependency: `make test-load
LOAD_SERVER=xllamacpp` installs it (the `parallel-server` extra).
"""

from __future__ import annotations

import argparse
import signal
import threading


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="a GGUF file")
    parser.add_argument("--alias", default="mentorprep", help="the model name it lists")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--parallel", type=int, default=4, help="slots: requests served at once")
    parser.add_argument("--ctx-per-slot", type=int, default=4096, help="context of each slot")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}
    params.hostnames = [args.host]
    params.port = args.port
    params.n_parallel = args.parallel
    params.n_ctx = args.ctx_per_slot * args.parallel  # shared out among the slots
    params.cont_batching = True
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.endpoint_metrics = True
    server = xlc.Server(params)  # serves from its own threads
    print(f"serving {args.model} at {server.listening_address}/v1", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


if __name__ == "__main__":
    main()
