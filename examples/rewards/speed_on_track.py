# A new reward idea to compare with the one the drfc-1 sample trained with: pay for speed, but only with all wheels on the
# track and the heading within 30 degrees of the centre line's direction.
import math


def reward_function(params):
    if not params["all_wheels_on_track"]:
        return 1e-3
    waypoints = params["waypoints"]
    previous, following = params["closest_waypoints"]
    direction = math.degrees(math.atan2(waypoints[following][1] - waypoints[previous][1],
                                        waypoints[following][0] - waypoints[previous][0]))
    error = abs(direction - params["heading"])
    if error > 180:
        error = 360 - error
    return params["speed"] if error <= 30 else 0.1 * params["speed"]
