#!/usr/bin/python3
"""The reference side of bench/compare-reference.sh: loads a model folder the way deepracer-utils does
(DeepRacerLog.load(), which picks the loader from the folder type) and runs its per-episode aggregation
(AnalysisUtils.simulation_agg, grouped by unique_episode when several workers trained), then writes the
episodes as CSV to stdout, as `drlog episodes MODEL --format csv` does.

usage: /usr/bin/python3 bench/deepracer_utils_agg.py DEEPRACER_UTILS_DIR MODEL_DIR > episodes.csv
"""
import contextlib
import sys

sys.path.insert(0, sys.argv[1])

from deepracer.logs import AnalysisUtils, DeepRacerLog  # noqa: E402

log = DeepRacerLog(model_folder=sys.argv[2])
# simulation_agg prints a note ("new reward not found ..."); keep stdout for the table.
with contextlib.redirect_stdout(sys.stderr):
    log.load()
    df = log.dataframe()
    multi = "worker" in df and df["worker"].nunique() > 1
    episodes = AnalysisUtils.simulation_agg(df, secondgroup="unique_episode" if multi else "episode")
episodes.to_csv(sys.stdout, index=False)
