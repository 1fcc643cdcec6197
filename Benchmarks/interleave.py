#!/usr/bin/env python3
"""Times two commands in turn (A, B, A, B, ...) and prints each one's median wall time and their
ratio. On a machine whose speed drifts (a shared virtual machine), runs taken in turn see the
same conditions, where hyperfine's runs of one command and then the other may not.
Usage: Benchmarks/interleave.py NAME_A 'COMMAND A' NAME_B 'COMMAND B' [RUNS]"""
import shlex
import statistics
import subprocess
import sys
import time

name_a, command_a, name_b, command_b = sys.argv[1:5]
runs = int(sys.argv[5]) if len(sys.argv) > 5 else 15
times = {name_a: [], name_b: []}
for _ in range(runs):
    for name, command in ((name_a, command_a), (name_b, command_b)):
        start = time.perf_counter()
        subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times[name].append(time.perf_counter() - start)
a, b = statistics.median(times[name_a]), statistics.median(times[name_b])
print(f"{name_b:>16}: median {b * 1000:7.1f} ms | {name_a}: {a * 1000:6.1f} ms | ratio {b / a:4.2f}x (in turn, {runs} runs each)")
