#!/usr/bin/env python3
"""Builds the DeepRacer on AWS fixture model from samples/sample-droa-solution-logs (run from the repository root).

One model prefix ACGVRmRuFNU9NkQ/ with the layout of S3PathHelper.ts: one training, two evaluations, two submissions.
Every artifact of a job gets its own ISO time stamp (DROA builds each path with its own new Date()). Evaluation 2 has
only its nested logs archive (logs/evaluation/{job}-logs.tar.gz, members rooted at {modelId}/ as GetAssetUrl writes them).
Logs keep the sample's header and the first 60 steps of one trial, so each file stays small. The submission metrics
files are written by hand (race scoring cases), not taken from the sample.
"""
import io, json, os, re, shutil, tarfile

SAMPLE = "samples/sample-droa-solution-logs"
OUT = "tests/DeepRacer.Analysis.Tests/Fixtures/droa-model/ACGVRmRuFNU9NkQ"
TRAIN = "deepracerindy-training-ACGVRmRuFNU9NkQ"
E1 = "deepracerindy-evaluation-9oJ3QbS0SYm7Iag"
E2 = "deepracerindy-evaluation-Ev2NestedOnly01"
S1 = "deepracerindy-submission-Sub1AAAAAAAAAA"
S2 = "deepracerindy-submission-Sub2BBBBBBBBBB"
STEPS = 60

def read(path):
    with open(os.path.join(SAMPLE, path), encoding="utf-8") as f:
        return f.read().split("\n")

def write(path, text):
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

eval_log = read(f"logs/evaluation/2026-03-07T17:59:20.610Z-{E1}-simulation.log")
header = eval_log[:529]
def trial_lines(episode):
    return [l for l in eval_log if f"SIM_TRACE_LOG:{episode}," in l][:STEPS]

def eval_log_for(job, kind, episode):
    text = "\n".join(header + trial_lines(episode)) + "\n"
    text = text.replace(E1, job)
    if kind == "submission":
        text = text.replace("/metrics/evaluation/", "/metrics/submission/").replace("/sim-trace/evaluation/", "/sim-trace/submission/")
    return text

eval_csv = read(f"sim-trace/evaluation/2026-03-07T17:52:00.898Z-{E1}/evaluation-simtrace/0-iteration.csv")
def trial_csv(episode):
    rows = [r for r in eval_csv[1:] if r.startswith(f"{episode},")][:STEPS]
    return "\n".join([eval_csv[0]] + rows) + "\n"

shutil.rmtree(OUT, ignore_errors=True)

# Training: the first two episodes of iteration 0, the log up to the end of its second episode, two metrics entries.
train_csv = read(f"sim-trace/training/2026-03-06T18:33:59.511Z-{TRAIN}/training-simtrace/0-iteration.csv")
write(f"sim-trace/training/2026-03-06T18:33:59.511Z-{TRAIN}/training-simtrace/0-iteration.csv",
      "\n".join([train_csv[0]] + [r for r in train_csv[1:] if r.split(",")[0] in ("0", "1")]) + "\n")
train_log = read(f"logs/training/2026-03-06T20:36:57.936Z-{TRAIN}-simulation.log")
write(f"logs/training/2026-03-06T20:36:57.936Z-{TRAIN}-simulation.log", "\n".join(train_log[:336]) + "\n")
train_metrics = json.loads("\n".join(read(f"metrics/training/2026-03-06T18:33:59.511Z-{TRAIN}.json")))
write(f"metrics/training/2026-03-06T18:34:00.020Z-{TRAIN}.json", json.dumps({"metrics": train_metrics["metrics"][:2]}))

# Evaluation 1: simtrace, log and metrics, each with its own time stamp; the sample's metrics file as it is.
write(f"sim-trace/evaluation/2026-03-07T17:52:00.898Z-{E1}/evaluation-simtrace/0-iteration.csv", trial_csv(0))
write(f"logs/evaluation/2026-03-07T17:59:20.610Z-{E1}-simulation.log", eval_log_for(E1, "evaluation", 0))
write(f"metrics/evaluation/2026-03-07T17:52:00.901Z-{E1}.json", "\n".join(read(f"metrics/evaluation/2026-03-07T17:52:00.898Z-{E1}.json")))

# Evaluation 2: only logs/evaluation/{job}-logs.tar.gz, holding its log and metrics under {modelId}/.
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
    for name, text in [
        (f"ACGVRmRuFNU9NkQ/logs/evaluation/2026-03-08T09:12:40.310Z-{E2}-simulation.log", eval_log_for(E2, "evaluation", 1)),
        (f"ACGVRmRuFNU9NkQ/metrics/evaluation/2026-03-08T09:05:11.052Z-{E2}.json",
         json.dumps({"metrics": [{"completion_percentage": 100, "elapsed_time_in_milliseconds": 29000, "episode_status": "Lap complete",
                                  "crash_count": 0, "immobilized_count": 0, "off_track_count": 0, "reversed_count": 0, "reset_count": 0,
                                  "metric_time": 1, "start_time": 0, "trial": 1}]})),
    ]:
        data = text.encode("utf-8")
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 1772960000
        tar.addfile(info, io.BytesIO(data))
os.makedirs(os.path.join(OUT, "logs/evaluation"), exist_ok=True)
with open(os.path.join(OUT, f"logs/evaluation/{E2}-logs.tar.gz"), "wb") as f:
    f.write(buffer.getvalue())

# Submissions: simtrace (trial 1 or 2 of the sample) and log with different time stamps; metrics written by hand.
def trial(t, ms, pct=100, off=0, crash=0, reset=0):
    return {"completion_percentage": pct, "metric_time": 0, "start_time": 0, "elapsed_time_in_milliseconds": ms,
            "episode_status": "Lap complete" if pct == 100 else "Off track", "crash_count": crash, "immobilized_count": 0,
            "off_track_count": off, "reversed_count": 0, "reset_count": reset, "trial": t}

for job, episode, sim_stamp, log_stamp, metrics_stamp, trials in [
    (S1, 1, "2026-03-09T10:00:00.000Z", "2026-03-09T10:07:30.500Z", "2026-03-09T10:00:00.412Z",
     # A reset in the middle of a run: trial 3 is not complete, so the longest run of complete laps is trials 4-6.
     [trial(1, 30000), trial(2, 29000, off=1), trial(3, 12000, pct=40, off=1, reset=1), trial(4, 28000), trial(5, 28500, crash=1), trial(6, 27000)]),
    (S2, 2, "2026-03-10T14:20:05.123Z", "2026-03-10T14:26:44.987Z", "2026-03-10T14:20:05.200Z",
     # Fewer complete laps than a 3-lap minimum; the best lap is the incomplete trial 2 (DROA takes the minimum over all trials).
     [trial(1, 31000), trial(2, 9000, pct=25, off=2, reset=2), trial(3, 30000, off=1)]),
]:
    write(f"sim-trace/submission/{sim_stamp}-{job}/evaluation-simtrace/0-iteration.csv", trial_csv(episode))
    write(f"logs/submission/{log_stamp}-{job}-simulation.log", eval_log_for(job, "submission", episode))
    write(f"metrics/submission/{metrics_stamp}-{job}.json", json.dumps({"metrics": trials}))

# Files the loaders must ignore.
write("videos/evaluation/2026-03-07T17:52:01.000Z-" + E1 + "/camera-pip/readme.txt", "video placeholder\n")
write("sagemaker-artifacts/training_params.yaml", "WORLD_NAME: ignored\n")
