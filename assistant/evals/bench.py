"""`mentorprep bench`: the app's pipeline against raw llama.cpp and raw Chroma, in one process,
so machine noise cancels out in the ratios."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from assistant.evals import bench_retrieval

Log = Callable[[str], None]
QUESTIONS = [
    "How do I ask a senior engineer to mentor me?",
    "My mentor hasn't replied in two weeks. What should I do?",
    "How do I prepare for my first mentor meeting?",
]
CONVERSATION = [
    "How do I find a mentor outside my company?",
    "What should my first message say?",
    "How long should I wait before following up?",
    "What if they say they're too busy?",
    "How often should we meet once they agree?",
    "How do I end it gracefully if it stops helping?",
]
REHEARSAL_LINES = [
    "Thanks for making time. I'd like to talk about the promotion decision.",
    "I guess I thought leading the billing migration was enough.",
    "That's fair. What would senior-level scope look like on our team?",
    "Could we agree on one project where I can show that by March?",
    "I'll draft a proposal and send it to you by Friday.",
    "Thank you, this helps. Can we check in on it in two weeks?",
]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# LLM: app turn vs raw llama.cpp on the identical prompt ---------------------------------------


def llm_overhead(model, kb, settings, reps: int, log: Log, max_tokens: int = 48) -> dict:
    from assistant.services.ask import ask

    llama = model.llama
    rows = []
    for rep in range(reps):
        for question in QUESTIONS:
            llama.reset()  # a cold KV cache for both runs: the same prompt work
            t0 = time.perf_counter()
            stream = ask(
                question,
                model,
                kb,
                k=settings.retrieval_k,
                token_budget=settings.context_token_budget,
                max_tokens=max_tokens,
            )
            first = None
            for _ in stream.chunks:
                first = first or time.perf_counter() - t0
            app_total = time.perf_counter() - t0
            app_tokens = model.last_usage.completion_tokens
            messages = model.last_prompt.messages

            llama.reset()
            t0 = time.perf_counter()
            raw_first, raw_tokens = None, 0
            for chunk in llama.create_chat_completion(
                messages=messages,
                stream=True,
                max_tokens=max_tokens,
                temperature=model.temperature,
                repeat_penalty=1.1,
            ):
                if chunk["choices"][0].get("delta", {}).get("content"):
                    raw_first = raw_first or time.perf_counter() - t0
                    raw_tokens += 1
            raw_total = time.perf_counter() - t0
            rows.append(
                {
                    "app_ttft": first,
                    "raw_ttft": raw_first,
                    "app_tps": app_tokens / max(app_total - first, 1e-9),
                    "raw_tps": raw_tokens / max(raw_total - raw_first, 1e-9),
                    "prompt_tokens": model.last_usage.prompt_tokens,
                }
            )
            log(f"  rep {rep + 1} ttft app {first:.2f}s raw {raw_first:.2f}s")
    app_ttft, raw_ttft = (
        _median([r["app_ttft"] for r in rows]),
        _median([r["raw_ttft"] for r in rows]),
    )
    app_tps, raw_tps = _median([r["app_tps"] for r in rows]), _median([r["raw_tps"] for r in rows])
    return {
        "runs": rows,
        "app_ttft_s": app_ttft,
        "raw_ttft_s": raw_ttft,
        "ttft_ratio": app_ttft / raw_ttft,
        "app_tokens_per_s": app_tps,
        "raw_tokens_per_s": raw_tps,
        "tps_ratio": app_tps / raw_tps,
    }


# Screening by meaning: the extra model call before an answer reads its passages -------------


def screening_cost(model, kb, settings, log: Log) -> dict:
    """The screening call (screen.py) on each question's passages, uncached, against raw
    llama.cpp on the identical prompt and grammar, and as a share of the answer's time to first
    token (it runs before the answer starts)."""
    from assistant.services import screen
    from assistant.services.ask import select_passages

    rows = []
    for question in QUESTIONS:  # the passages ask() screens: retrieved, then fitted to budget
        found = kb.search(question, k=settings.retrieval_k)
        passages = select_passages(found, settings.context_token_budget)
        screen._SCREENED.clear()  # noqa: SLF001 -- a question never seen: the call is made
        model.llama.reset()
        t0 = time.perf_counter()
        screen.screen_all([p.text for p in passages], model)
        app = time.perf_counter() - t0
        prompt = model.last_prompt
        model.llama.reset()
        t0 = time.perf_counter()
        model.llama.create_chat_completion(
            messages=prompt.messages,
            temperature=0.0,
            max_tokens=prompt.max_tokens,
            response_format={"type": "json_object", "schema": prompt.schema},
        )
        raw = time.perf_counter() - t0
        rows.append({"app_s": app, "raw_s": raw, "passages": len(passages)})
        log(f"  screening {app:.2f}s raw {raw:.2f}s")
    app_s, raw_s = _median([r["app_s"] for r in rows]), _median([r["raw_s"] for r in rows])
    return {"runs": rows, "app_s": app_s, "raw_s": raw_s, "ratio": app_s / raw_s}


# Prompt tokens evaluated per turn (llama.cpp's own counters) --------------------------------


def _per_turn(usages: list, system_tokens: int) -> list[dict]:
    rows, previous = [], None
    for turn, usage in enumerate(usages, 1):
        if previous is None:
            new = usage.prompt_tokens - system_tokens
        else:  # what this turn adds to the conversation the cache already holds
            new = usage.prompt_tokens - previous.prompt_tokens - previous.completion_tokens
        rows.append(
            {
                "turn": turn,
                "prompt_tokens": usage.prompt_tokens,
                "evaluated": usage.prompt_tokens_evaluated,
                "new": new,
                "ratio": usage.prompt_tokens_evaluated / max(new, 1),
            }
        )
        previous = usage
    return rows


def prompt_reuse(model, kb, settings, log: Log) -> dict:
    from assistant import prompts
    from assistant.services.ask import Turn, ask
    from assistant.services.coaching import rehearsal as rh

    def system_tokens(text: str) -> int:
        return len(model.llama.tokenize(text.encode(), add_bos=False, special=True))

    results = {}
    model.llama.reset()
    for name in ("ask", "ask_second_conversation"):
        history, usages = [], []
        for question in CONVERSATION if name == "ask" else CONVERSATION[:2]:
            stream = ask(
                question,
                model,
                kb,
                history=history,
                k=settings.retrieval_k,
                token_budget=settings.context_token_budget,
                max_tokens=64,
            )
            answer = "".join(stream.chunks)
            history += [Turn("user", stream.sent), Turn("assistant", answer)]
            usages.append(model.last_usage)
        results[name] = _per_turn(usages, system_tokens(prompts.render("ask_system")))
        log(f"  {name}: " + ", ".join(f"{r['evaluated']}/{r['new']}" for r in results[name]))

    setup = rh.RehearsalSetup("promotion", "Jordan", "", "skeptical")
    session, usages = rh.start(setup), []
    for line in REHEARSAL_LINES:
        rh.counterpart_reply(session, line, model)
        usages.append(model.last_usage)
    results["rehearse"] = _per_turn(usages, 0)
    log("  rehearse: " + ", ".join(f"{r['evaluated']}/{r['new']}" for r in results["rehearse"]))
    # back to Ask after the rehearsal: its system prompt comes from the per-workflow state cache
    "".join(
        ask(
            CONVERSATION[3],
            model,
            kb,
            k=settings.retrieval_k,
            token_budget=settings.context_token_budget,
            max_tokens=16,
        ).chunks
    )
    back = model.last_usage
    results["ask_after_rehearsal_system_tokens_reevaluated"] = max(
        0,
        back.prompt_tokens_evaluated
        - (back.prompt_tokens - system_tokens(prompts.render("ask_system"))),
    )
    log(f"  ask after rehearsal: {back.prompt_tokens_evaluated} of {back.prompt_tokens} evaluated")
    later = [r["ratio"] for key in ("ask", "rehearse") for r in results[key][1:]]
    second = results["ask_second_conversation"][0]
    results["max_ratio_turns_2_to_6"] = max(later)
    results["second_conversation_system_tokens_reevaluated"] = max(
        0, second["evaluated"] - second["new"]
    )
    return results


# Cold start and memory -----------------------------------------------------------------------


def cold_start(model_name: str, log: Log) -> dict:
    """Process start to the first answer through the running app (gradio_client), peak RSS."""
    import socket

    import httpx
    from gradio_client import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "MENTORPREP_MODEL": model_name, "MENTORPREP_MAX_TOKENS": "16"}
    t0 = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        while True:
            if process.poll() is not None:
                raise RuntimeError("the app exited during start-up")
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        ready = time.perf_counter() - t0
        Client(url, verbose=False).predict("How do I find a mentor?", [], None, api_name="/ask")
        answered = time.perf_counter() - t0
        status = Path(f"/proc/{process.pid}/status").read_text()
        peak_kb = int(
            next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    log(
        f"  page ready {ready:.1f}s, first answer {answered:.1f}s, peak RSS {peak_kb / 1024:.0f} MB"
    )
    return {"page_ready_s": ready, "first_answer_s": answered, "peak_rss_mb": peak_kb / 1024}


def run(model_name: str, reps: int, sizes: list[int], queries: int, log: Log) -> dict:
    from assistant.components.llm import get_model
    from assistant.services.knowledge_base import get_knowledge_base
    from assistant.settings import get_settings

    settings = get_settings().model_copy(update={"model": model_name, "temperature": 0.0})
    report: dict = {"model": model_name, "machine": machine()}
    log("ingest")
    report["ingest"] = bench_retrieval.ingest(log)
    log("retrieval at scale")
    report["retrieval"] = bench_retrieval.retrieval_scale(
        sizes, queries, log, QUESTIONS + CONVERSATION
    )
    kb = get_knowledge_base()
    kb.ensure_index()
    model = get_model(settings)
    log("time to first token and generation speed: app vs raw llama.cpp")
    report["llm"] = llm_overhead(model, kb, settings, reps, log)
    log("screening of the passages before an answer: app vs raw llama.cpp")
    report["screening"] = screening_cost(model, kb, settings, log)
    log("prompt tokens evaluated per turn")
    report["prompt_reuse"] = prompt_reuse(model, kb, settings, log)
    log("cold start")
    report["cold_start"] = cold_start(model_name, log)
    return report


def machine() -> dict:
    import platform

    return {
        "cpu": next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        ),
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
    }


def table(report: dict) -> str:
    llm, reuse, cold = report["llm"], report["prompt_reuse"], report["cold_start"]
    scr = report.get("screening") or {
        "app_s": float("nan"),
        "raw_s": float("nan"),
        "ratio": float("nan"),
    }
    lines = [
        f"model: {report['model']}  ({report['machine']['cpu']}, {report['machine']['cores']} cores)",
        "",
        f"{'figure':44} {'app':>10} {'raw':>10} {'ratio':>7}  target",
        f"{'time to first token (s, median)':44} {llm['app_ttft_s']:10.2f} {llm['raw_ttft_s']:10.2f} {llm['ttft_ratio']:7.2f}  <= 1.10",
        f"{'generation (tokens/s, median)':44} {llm['app_tokens_per_s']:10.1f} {llm['raw_tokens_per_s']:10.1f} {llm['tps_ratio']:7.2f}  >= 0.95",
        f"{'screening call before an answer (s, median)':44} {scr['app_s']:10.2f} {scr['raw_s']:10.2f} {scr['ratio']:7.2f}  <= 1.10",
        f"{'  share of the answer time to first token':44} {scr['app_s'] / llm['app_ttft_s']:10.0%}",
        f"{'prompt tokens evaluated / new, turns 2-6 (max)':44} {'':10} {'':10} {reuse['max_ratio_turns_2_to_6']:7.2f}  <= 1.15",
        f"{'2nd conversation: system tokens re-evaluated':44} {reuse['second_conversation_system_tokens_reevaluated']:10d} {'':10} {'':7}  0",
        f"{'Ask after rehearsal: system tokens re-eval.':44} {reuse.get('ask_after_rehearsal_system_tokens_reevaluated', -1):10d} {'':10} {'':7}  0",
    ]
    for size, row in report["retrieval"].items():
        lines.append(
            f"{'search p95 at ' + size + ' chunks (ms)':44} {row['hybrid_p95_ms']:10.1f} {row['raw_p95_ms']:10.1f} {row['p95_ratio']:7.2f}  <= 3, < 100 ms"
        )
    ing = report["ingest"]
    lines += [
        f"{'ingest (chunks/s; ' + str(ing['chunks']) + ' chunks)':44} {ing['chunks_per_s']:10.1f}",
        f"{'unchanged re-ingest (s)':44} {ing['unchanged_reingest_s']:10.3f} {'':10} {'':7}  < 1",
        f"{'cold start to first answer (s)':44} {cold['first_answer_s']:10.1f}",
        f"{'peak RSS of the app (MB)':44} {cold['peak_rss_mb']:10.0f} {'':10} {'':7}  < 2500",
    ]
    return "\n".join(lines)
