import multiprocessing
import os
import platform
import sys
import threading
import time

JOBS = 4
# `cargo xtask bench` sets BOOK_BENCH=1 for the full size; the test suite runs a small one.
N = 5_000_000 if os.environ.get("BOOK_BENCH") else 100_000


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


def with_threads():
    results = [0] * JOBS

    def work(slot):
        results[slot] = count(N)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(JOBS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def one_after_another():
    return [count(N) for _ in range(JOBS)]


def with_processes():
    # Each worker is a separate Python process; N goes to it and its result
    # comes back pickled.
    with multiprocessing.Pool(JOBS) as pool:
        return pool.map(count, [N] * JOBS)


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    # The CPUs this process may run on (taskset can allow fewer than the machine has).
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # sys._is_gil_enabled() is new in Python 3.13; every earlier build has the GIL.
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    return (f"{model}, {usable} of {os.cpu_count()} CPUs usable, "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"GIL {'enabled' if gil else 'disabled'}")


if __name__ == "__main__":
    print(f"machine: {machine()}")
    print(f"work: {JOBS} jobs of {N} additions each")
    variants = [
        ("4 threads", with_threads),
        ("one after another", one_after_another),
        ("4 processes", with_processes),
    ]
    for name, run in variants:
        start = time.perf_counter()
        results = run()
        elapsed = time.perf_counter() - start
        assert results == [N * (N - 1) // 2] * JOBS, results
        print(f"{name + ':':<18} {elapsed:5.2f} s, sum {sum(results)}")
