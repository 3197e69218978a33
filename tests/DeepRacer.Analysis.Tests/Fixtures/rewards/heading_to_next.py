# Rewards pointing along the centre line: 1 when the heading equals the direction from the previous to the next waypoint.
import math


def reward_function(params):
    waypoints = params["waypoints"]
    previous, following = params["closest_waypoints"]
    direction = math.degrees(math.atan2(waypoints[following][1] - waypoints[previous][1], waypoints[following][0] - waypoints[previous][0]))
    difference = abs(direction - params["heading"])
    if difference > 180:
        difference = 360 - difference
    return 1.0 - difference / 180.0
