"""The machine line every benchmark prints above its tables: processor, cores, system and the
versions of the packages it measures."""
from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path


def machine(*packages: str, extra: str = "") -> str:
    """``"AMD EPYC …, 2 cores, Linux 6.1; Python 3.11.7, rjieba 0.2.2, pandas 3.1.1"`` (+ ``extra``)."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{name} {version(name)}" for name in packages)
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}" + (f", {versions}" if versions else "") + (f", {extra}" if extra else ""))
