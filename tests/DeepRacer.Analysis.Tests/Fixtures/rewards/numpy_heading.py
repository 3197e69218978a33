# Needs numpy: the heading error as a numpy float64 (a float subclass, as the simulator accepts).
import numpy as np


def reward_function(params):
    waypoints = np.array(params["waypoints"])
    previous, following = params["closest_waypoints"]
    d = waypoints[following] - waypoints[previous]
    return np.float64(abs(np.degrees(np.arctan2(d[1], d[0])) - params["heading"]))
