# Prefers the left half, straight steering and speed; almost nothing with a wheel off the track.
def reward_function(params):
    if not params["all_wheels_on_track"]:
        return 1e-3
    side = 1.0 if params["is_left_of_center"] else 0.5
    return side * (1.0 - abs(params["steering_angle"]) / 30.0) * params["speed"]
