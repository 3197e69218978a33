# drlog's reward replay driver: imports the user's reward_function.py unchanged and evaluates batches of params.
# Protocol (little-endian, see README "Reward replay"): every frame is u32 length + payload; payload[0] is the type.
#   drlog -> driver  'I' init:  u32 n, f64 track_length, u8 is_reversed, u8 skip_errors, 2n f64 waypoints (x, y, ...)
#                    'B' batch: u32 count, 3 pad bytes, then columns of count values each:
#                               f64 x, y, heading, speed, steering_angle, progress, steps, distance_from_center,
#                               track_width, projection_distance; i32 prev, next; u8 flags
#                               (1 all_wheels_on_track, 2 is_left_of_center, 4 is_offtrack, 8 is_crashed)
#   driver -> drlog  'R' ready, or 'E' u8 kind + utf-8 text (1 load failed, 2 no reward_function)
#                    'O' u32 count, u32 errors, 3 pad bytes, count f64 rewards (NaN where the call failed),
#                        then per error: u32 index, u8 kind (3 raised, 4 not a number, 5 not finite),
#                        u32 text length, utf-8 text (the first error of a batch carries the traceback)
# The driver exits when its stdin closes or its parent process goes away, even while the function runs.
import importlib.util
from array import array
import math
import os
import struct
import sys
import threading
import time
import traceback


def watch_parent(parent):
    while True:
        time.sleep(0.25)
        if os.getppid() != parent:
            os._exit(3)


def main():
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    # The protocol owns the real stdout; anything the function prints goes to stderr.
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    inp = sys.stdin.buffer

    def read_frame():
        head = inp.read(4)
        if len(head) < 4:
            return None
        (size,) = struct.unpack("<I", head)
        body = inp.read(size)
        return body if len(body) == size else None

    def send(*parts):
        body = b"".join(parts)
        out.write(struct.pack("<I", len(body)) + body)

    path = sys.argv[1]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        spec = importlib.util.spec_from_file_location("reward_function", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["reward_function"] = module
        spec.loader.exec_module(module)
    except BaseException:
        send(b"E\x01", traceback.format_exc(limit=-3).encode("utf-8", "replace"))
        return
    function = getattr(module, "reward_function", None)
    if not callable(function):
        send(b"E\x02", b"no reward_function(params) in the module")
        return
    send(b"R")

    init = read_frame()
    if init is None:
        return
    n, track_length, reversed_flag, skip = struct.unpack_from("<IdBB", init, 1)
    coords = memoryview(init)[15:15 + 16 * n].cast("d").tolist()
    waypoints = [(coords[2 * i], coords[2 * i + 1]) for i in range(n)]
    is_reversed = reversed_flag != 0
    pack_error = struct.Struct("<IBI").pack

    while True:
        frame = read_frame()
        if frame is None:
            return
        (count,) = struct.unpack_from("<I", frame, 1)
        mv = memoryview(frame)
        o = 8
        cols = []
        for _ in range(10):
            cols.append(mv[o:o + 8 * count].cast("d").tolist())
            o += 8 * count
        prev = mv[o:o + 4 * count].cast("i").tolist()
        o += 4 * count
        nxt = mv[o:o + 4 * count].cast("i").tolist()
        o += 4 * count
        flags = frame[o:o + count]
        results = [0.0] * count
        errors = []
        i = 0
        for x, y, heading, speed, steer, progress, steps, dfc, width, proj, a, b, f in zip(*cols, prev, nxt, flags):
            params = {
                "all_wheels_on_track": f & 1 != 0,
                "x": x,
                "y": y,
                "heading": heading,
                "distance_from_center": dfc,
                "projection_distance": proj,
                "is_left_of_center": f & 2 != 0,
                "is_offtrack": f & 4 != 0,
                "is_crashed": f & 8 != 0,
                "is_reversed": is_reversed,
                "progress": progress,
                "speed": speed,
                "steering_angle": steer,
                "steps": steps,
                "track_length": track_length,
                "track_width": width,
                "waypoints": waypoints,
                "closest_waypoints": [a, b],
                "closest_objects": [0, 0],
                "objects_location": [],
                "objects_distance": [],
                "objects_distance_from_center": [],
                "objects_heading": [],
                "objects_left_of_center": [],
                "objects_speed": [],
                "object_in_camera": False,
            }
            try:
                r = function(params)
            except Exception:
                results[i] = math.nan
                errors.append((i, 3, "" if errors else traceback.format_exc()))
                if not skip:
                    break
                i += 1
                continue
            v = r
            if type(v) is not float:
                # ints, bools and numpy numbers are numbers; text and containers are not.
                try:
                    v = float(r) if not isinstance(r, (str, bytes)) else None
                except (TypeError, ValueError):
                    v = None
            if v is not None and v - v == 0.0:
                results[i] = v
            else:
                results[i] = math.nan
                errors.append((i, 4 if v is None else 5, "" if errors else (repr(r)[:200] + " (" + type(r).__name__ + ")")))
                if not skip:
                    break
            i += 1
        parts = [struct.pack("<cIIxxx", b"O", count, len(errors)), array("d", results).tobytes()]
        for index, kind, text in errors:
            data = text.encode("utf-8", "replace")
            parts.append(pack_error(index, kind, len(data)))
            parts.append(data)
        send(*parts)


main()
