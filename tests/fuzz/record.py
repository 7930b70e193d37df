"""Collect mode (``EVALCORE_FUZZ_COLLECT=DIR``): keep going past failures and file them by class.

A long run should find every class of failure, not stop at the first. In
collect mode nothing fails; each failure's class (`Failure.key`) gets a
folder under DIR holding its smallest reproducer so far (the files and
``failure.txt``), and ``summary.json`` counts documents, seconds and
failures per class.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from .mutations import Mutant
from .oracle import Failure

__all__ = ["Recorder"]


class Recorder:
    """Files failures by class under ``root``; counts every document checked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.summary_path = root / "summary.json"
        self.summary = (json.loads(self.summary_path.read_text()) if self.summary_path.exists()
                        else {"documents": 0, "seconds": 0.0, "classes": {}})
        self.started = time.monotonic()
        self.base_seconds = float(self.summary["seconds"])

    def record(self, mutant: Mutant, failures: list[Failure]) -> None:
        self.summary["documents"] += 1
        self.summary["seconds"] = round(self.base_seconds + time.monotonic() - self.started, 1)
        for failure in failures:
            classes = self.summary["classes"]
            classes[failure.key] = classes.get(failure.key, 0) + 1
            self._keep_smallest(mutant, failure)
        if failures or self.summary["documents"] % 50 == 0:
            self.summary_path.write_text(json.dumps(self.summary, ensure_ascii=False, indent=1))

    def _keep_smallest(self, mutant: Mutant, failure: Failure) -> None:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", failure.key).strip("-")[:120]
        folder = self.root / slug
        size = sum(len(t) for t in mutant.files.values())
        size_file = folder / "size"
        if size_file.exists() and int(size_file.read_text()) <= size:
            return
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        for name, text in mutant.files.items():
            (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        (folder / "failure.txt").write_text(
            f"{failure}\n\nentry: {mutant.entry}\n{'; '.join(mutant.log)}\n", encoding="utf-8",
            errors="backslashreplace")
        size_file.write_text(str(size))
