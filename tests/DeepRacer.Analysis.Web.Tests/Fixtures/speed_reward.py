def reward_function(params):
    # A deliberately different function whose every value can be checked from the simtrace alone: the step's speed.
    return float(params["speed"])
