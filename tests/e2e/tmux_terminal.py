"""A real terminal for end-to-end tests: tmux on a private socket, driven by send-keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path


class TmuxTerminal:
    """One tmux session running one command; read the screen with :meth:`screen`."""

    def __init__(self, command: list[str], env: dict[str, str], width: int = 120, height: int = 40) -> None:
        self.socket = f"reader-test-{uuid.uuid4().hex[:8]}"
        environment = " ".join(f"{key}={value}" for key, value in env.items())
        shell_command = f"env -i {environment} {' '.join(command)}; echo EXITED $?; sleep 600"
        self._config = Path(tempfile.mkstemp(prefix="tmux-", suffix=".conf")[1])
        # set-clipboard on: an OSC 52 the program writes would become a tmux paste buffer.
        self._config.write_text(f"set -g default-size {width}x{height}\nset -g set-clipboard on\n")
        self._tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), shell_command)
        self._tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def _tmux(self, *arguments: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self._config), *arguments], capture_output=True, text=True, timeout=20
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {arguments[0]} failed: {result.stderr}")
        return result.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "main")

    def pane_title(self) -> str:
        """The pane's title, which an OSC 0 or OSC 2 sequence written to the terminal would set."""
        return self._tmux("display-message", "-p", "-t", "main", "#{pane_title}").strip()

    def paste_buffers(self) -> str:
        """tmux's paste buffers, where an OSC 52 clipboard write from the program lands."""
        return self._tmux("list-buffers", "-F", "#{buffer_name}: #{buffer_sample}")

    def send(self, *keys: str, literal: bool = False) -> None:
        self._tmux("send-keys", "-t", "main", *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """The screen once ``text`` shows on it (white space folded, so wrapping does not matter)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if " ".join(text.split()) in " ".join(screen.split()):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout} s; the screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)
        self._config.unlink(missing_ok=True)


def tmux_available() -> bool:
    return shutil.which("tmux") is not None


def terminal_env(home: Path) -> dict[str, str]:
    """A clean environment for the app: its own XDG folders and a colour terminal."""
    environment = {
        "TERM": "xterm-256color",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", str(home / "cache")),
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }
    if "PYTHONPATH" in os.environ:  # the code under test (a work tree), not only the installed one
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return environment
