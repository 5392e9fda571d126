"""The benchmark's arithmetic and report (the timings themselves are never asserted)."""

from assistant.components.llm import Usage
from assistant.evals.bench import _per_turn, table


def test_per_turn_counts_what_each_turn_adds():
    usages = [Usage(300, 40, 300), Usage(400, 50, 62), Usage(480, 30, 30)]
    rows = _per_turn(usages, system_tokens=100)
    assert [r["new"] for r in rows] == [200, 60, 30]
    assert [round(r["ratio"], 2) for r in rows] == [1.5, 1.03, 1.0]


def test_table_lists_every_target():
    report = {
        "model": "small",
        "machine": {"cpu": "test cpu", "cores": 2},
        "llm": {
            "app_ttft_s": 1.1,
            "raw_ttft_s": 1.0,
            "ttft_ratio": 1.1,
            "app_tokens_per_s": 10.0,
            "raw_tokens_per_s": 10.0,
            "tps_ratio": 1.0,
        },
        "prompt_reuse": {
            "max_ratio_turns_2_to_6": 1.02,
            "second_conversation_system_tokens_reevaluated": 0,
        },
        "retrieval": {"1000": {"hybrid_p95_ms": 10.0, "raw_p95_ms": 5.0, "p95_ratio": 2.0}},
        "ingest": {"chunks": 259, "chunks_per_s": 30.0, "unchanged_reingest_s": 0.01},
        "cold_start": {"first_answer_s": 12.0, "peak_rss_mb": 800.0},
        "screening": {"app_s": 0.55, "raw_s": 0.5, "ratio": 1.1},
    }
    text = table(report)
    for target in ["<= 1.10", ">= 0.95", "<= 1.15", "< 2500", "search p95 at 1000 chunks"]:
        assert target in text
    assert "screening call before an answer" in text and "50%" in text  # 0.55 s of 1.1 s
