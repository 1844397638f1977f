"""The bench's goals, written once: the report and its verdicts read them from here."""

GOALS = {
    "p95_ratio_max": 1.2,  # ours / starter at every level (sequential, 1, 5 and 20 concurrent), with 0 errors
    "memory_ratio_max": 0.75,  # resident memory after warm-up, ours / starter
    "cold_start_ratio_max": 0.45,  # both servers answering, ours / starter
    "train_s_max": 120,  # `rasa train --force`, seconds
    "eligible_messages_max": 14,  # user messages from "hi" to the decision, median of the eligible families
    "turn_growth_max": 1.15,  # sequential mean latency of turns 16-25 / of turns 1-5: a turn's cost stays flat
    "trials_memory_ratio_max": 1.05,  # resident memory serving every trial file / serving one
    "trials_latency_ratio_max": 1.10,  # mean turn latency serving 20 trial files / serving every file (flat within noise)
}
