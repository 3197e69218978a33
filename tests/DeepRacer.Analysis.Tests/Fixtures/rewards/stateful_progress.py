# Module-level state: counts the calls of the current episode (a new episode starts when steps falls).
CALLS = 0
LAST_STEPS = None


def reward_function(params):
    global CALLS, LAST_STEPS
    if LAST_STEPS is None or params["steps"] < LAST_STEPS:
        CALLS = 0
    LAST_STEPS = params["steps"]
    CALLS += 1
    return CALLS * 1000 + params["progress"] / params["steps"] + params["closest_waypoints"][1] / 1000
