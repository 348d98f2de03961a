#!/usr/bin/env python3
"""Runs programs and measures them for run-benchmarks.sh, with the standard library only.

  measure.py repeat RUNS [--accept STATUS,...] -- CMD... [-- CMD...]...
      Runs each command RUNS times, the commands taking turns so that all see the same
      machine; every run gets this script's standard input. Prints one line per command:
      wall_ms=MEDIAN wall_min_ms=... wall_max_ms=... rss_kib=MEDIAN (peak resident set).
      A run that exits with a status other than 0 (or an accepted one) stops everything
      with its stderr.

  measure.py watch SECONDS -- CMD...
      Runs one command on a pseudo-terminal (200x50) for SECONDS, then sends SIGTERM.
      Prints cpu_s=... cpu_pct=... (of one core) rss_kib=... wall_s=...

Times come from the kernel's accounting of each child (wait4), not from sampling. Peak memory
comes from GNU time run between this script and the command: a child forked from Python
starts with Python's own peak in its accounting, one forked from GNU time with a tiny one.
"""

import fcntl
import os
import pty
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time


def split_commands(arguments):
    commands, current = [], None
    for argument in arguments:
        if argument == "--":
            current = []
            commands.append(current)
        elif current is None:
            raise SystemExit("measure.py: commands start with --")
        else:
            current.append(argument)
    if not commands or any(not command for command in commands):
        raise SystemExit("measure.py: an empty command")
    return commands


GNU_TIME = "/usr/bin/time"


def timed(command, report):
    """The command run by GNU time, which writes the command's peak RSS (KiB) to report."""
    return [GNU_TIME, "-f", "%M", "-o", report, *command]


def peak_kib(report):
    with open(report) as lines:
        return int(lines.read().split()[-1])


def run_once(command, stdin_data, report, accepted):
    started = time.perf_counter()
    process = subprocess.Popen(timed(command, report), stdin=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # communicate() would reap the child with waitpid and lose its rusage: write, then wait4.
    try:
        process.stdin.write(stdin_data)
        process.stdin.close()
    except BrokenPipeError:
        pass
    error = process.stderr.read()
    process.wait()
    elapsed = (time.perf_counter() - started) * 1000
    if process.returncode not in accepted:
        sys.stderr.write(error.decode(errors="replace"))
        raise SystemExit(f"measure.py: {command[0]} exited with {process.returncode}")
    return elapsed, peak_kib(report)


def repeat(runs, commands, accepted):
    stdin_data = sys.stdin.buffer.read() if not sys.stdin.isatty() else b""
    walls = [[] for _ in commands]
    peaks = [[] for _ in commands]
    report = tempfile.NamedTemporaryFile(prefix="measure-", suffix=".txt")
    for _ in range(runs):
        for index, command in enumerate(commands):
            wall, peak = run_once(command, stdin_data, report.name, accepted)
            walls[index].append(wall)
            peaks[index].append(peak)
    for wall, peak in zip(walls, peaks):
        print(f"wall_ms={statistics.median(wall):.1f} wall_min_ms={min(wall):.1f} "
              f"wall_max_ms={max(wall):.1f} rss_kib={statistics.median(peak):.0f}")


def watch(seconds, command):
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    environment = dict(os.environ, TERM="xterm-256color", COLUMNS="200", LINES="50")
    report = tempfile.NamedTemporaryFile(prefix="measure-", suffix=".txt")
    started = time.perf_counter()
    process = subprocess.Popen(timed(command, report.name), stdin=slave, stdout=slave,
                               stderr=slave, env=environment, start_new_session=True)
    os.close(slave)
    tail = bytearray()

    def drain():
        # A full terminal would block the program: read everything, keep the end for errors.
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            tail.extend(chunk)
            del tail[:-4000]

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        if os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            break
        time.sleep(0.05)
    exited_early = time.perf_counter() < deadline
    if not exited_early:
        # The command, not GNU time, which must live to report it.
        with open(f"/proc/{process.pid}/task/{process.pid}/children") as children:
            for child in children.read().split():
                os.kill(int(child), signal.SIGTERM)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    os.close(master)
    reader.join(timeout=1)
    if exited_early:
        sys.stderr.write(tail.decode(errors="replace")[-2000:] + "\n")
        raise SystemExit(f"measure.py: {command[0]} stopped after {wall:.1f} s "
                         f"(status {process.returncode})")
    # GNU time's rusage holds the command's, which it reaped, and its own few milliseconds.
    cpu = usage.ru_utime + usage.ru_stime
    print(f"cpu_s={cpu:.3f} cpu_pct={cpu / wall * 100:.2f} rss_kib={peak_kib(report.name)} "
          f"wall_s={wall:.1f}")


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("repeat", "watch"):
        raise SystemExit(__doc__)
    rest = sys.argv[3:]
    accepted = {0}
    if sys.argv[1] == "repeat" and len(rest) > 1 and rest[0] == "--accept":
        accepted |= {int(status) for status in rest[1].split(",")}
        rest = rest[2:]
    commands = split_commands(rest)
    if sys.argv[1] == "repeat":
        repeat(max(1, int(sys.argv[2])), commands, accepted)
    else:
        if len(commands) != 1:
            raise SystemExit("measure.py: watch takes one command")
        watch(float(sys.argv[2]), commands[0])


if __name__ == "__main__":
    main()
