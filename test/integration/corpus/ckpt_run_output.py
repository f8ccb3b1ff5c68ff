"""What the test scripts share about running ckpt tools (stdlib only):
`run` (a command that must succeed; its output, stdout then stderr) and
the patterns of the lines `ckpt-run` prints."""
import re
import subprocess
import sys

# `result K: sum S l1 L bits B`, one per result of the step.
RESULT = re.compile(r"^result (\d+): sum (\S+) l1 (\S+) bits (\S+)$", re.M)
# `peak bytes P`: what the step allocated at most, inputs excluded.
PEAK = re.compile(r"^peak bytes (\d+)$", re.M)


def run(cmd):
    """Runs `cmd`; exits with FAIL and its whole output if it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {proc.returncode}\n"
                 f"{proc.stdout}{proc.stderr}")
    return proc.stdout + proc.stderr
