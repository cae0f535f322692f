"""What the performance scripts share: running one measured process, and
splitting their command line at `--` (the compiler args after it)."""
import os
import shlex
import subprocess
import sys
import tempfile
import time


def split_compiler_args(argv):
    """(the script's own args, the compiler args after `--`)."""
    if "--" not in argv:
        return argv, []
    at = argv.index("--")
    return argv[:at], argv[at + 1:]


def run(cmd, who, cwd=None, allowed=(0,), stdin=None):
    """Runs \\p cmd to its end; returns its wall seconds, CPU seconds (user +
    sys, with what it waited for, such as clang++'s cc1) and peak RSS (KiB),
    all from wait4, so they are this process's own. An exit code outside
    \\p allowed stops the script with what the process printed. \\p stdin:
    a file name to read standard input from."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        source = open(stdin, "rb") if stdin else subprocess.DEVNULL
        proc = subprocess.Popen(cmd, cwd=cwd, stdin=source, stdout=output,
                                stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if stdin:
            source.close()
        if proc.returncode not in allowed:
            output.seek(0)
            sys.exit("%s: %s failed (exit %d):\n%s"
                     % (who, " ".join(cmd[:2]), proc.returncode,
                        output.read().decode(errors="replace")[-4000:]))
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def compile_flags(entry):
    """The compiler flags of a compile_commands.json entry: no compiler,
    output, -c or source file."""
    args = entry.get("arguments") or shlex.split(entry["command"])
    kept, skip = [], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a == "-o":
            skip = True
        elif a != "-c" and a != entry["file"]:
            kept.append(a)
    return kept
