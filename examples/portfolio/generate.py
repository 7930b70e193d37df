"""Write projects.csv: an illustrative portfolio of 300 township projects for scheme.toml.

ILLUSTRATIVE ONLY: every name and figure is drawn at random (seed 2024) to show
`evalcore batch`; none of it is real data. The same seed writes the same bytes,
so the committed CSV can be checked against this script:

    python examples/portfolio/generate.py            # rewrites projects.csv
    python examples/portfolio/generate.py --check    # exit 1 when it differs

Three projects in every hundred carry a mistake a real portfolio has (an actual
value in an unknown unit, an impossible date), so the batch's errors file has
something to show.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

__all__ = ["COLUMNS", "generate"]

HERE = Path(__file__).resolve().parent
SEED = 2024
COUNT = 300
COLUMNS = ["project", "department", "implementer", "budget_planned", "budget_executed",
           "road-km", "road-km.reason", "pass-rate", "finish", "cost-km", "good-roads",
           "accidents", "upkeep", "upkeep.assessed", "satisfaction"]
COUNTIES = ["东城县", "西河县", "南山县", "北湖县", "中岭县"]
TOWNS = ["青石", "白沙", "柳塘", "桃源", "松岗", "梅溪", "竹林", "荷花", "金桥", "石门"]
UPKEEP = ["健全", "健全", "合格", "基本健全", "不合格"]


def _row(rng: random.Random, n: int) -> dict[str, str]:
    county = rng.choice(COUNTIES)
    town = f"{rng.choice(TOWNS)}{'镇' if n % 3 else '乡'}"
    planned = rng.randrange(800, 3000)
    executed = planned * rng.randrange(70, 101) // 100 + rng.randrange(0, 10) / 10
    km = rng.randrange(90, 160)
    finish_day = rng.choice(["2024-10-31", "2024-11-20", "2024年11月30日", "2024-12-15"])
    upkeep = rng.choice(UPKEEP)
    row = {
        "project": f"{county}{town}2024年度乡村道路养护（{n:03d}）",
        "department": f"{county}交通运输局",
        "implementer": f"{town}人民政府",
        "budget_planned": str(planned),
        "budget_executed": f"{executed:.1f}",
        "road-km": f"{km}公里",
        "road-km.reason": "雨季延误，结转下年" if km < 120 and rng.random() < 0.5 else "",
        "pass-rate": f"{rng.randrange(880, 1001) / 10}%",
        "finish": finish_day,
        "cost-km": f"{rng.randrange(28, 45) / 10}万元",
        "good-roads": f"{rng.randrange(70, 96)}%",
        "accidents": f"{rng.randrange(0, 9)}起",
        "upkeep": upkeep,
        "upkeep.assessed": "7" if upkeep == "基本健全" else "",
        "satisfaction": "" if rng.random() < 0.04 else f"{rng.randrange(850, 990) / 10}%",
    }
    if n % 100 == 37:
        row["cost-km"] = "3.1万元每公里"  # not a unit evalcore knows
    if n % 100 == 71:
        row["finish"] = "2024-13-05"  # no 13th month
    if n % 100 == 89:
        row["pass-rate"] = "九成五左右"  # not a number a rate can be read from
    return row


def generate() -> str:
    """The CSV text of the portfolio: the same text for the same seed."""
    rng = random.Random(SEED)
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for n in range(1, COUNT + 1):
        writer.writerow(_row(rng, n))
    return out.getvalue()


def main(argv: list[str]) -> int:
    target = HERE / "projects.csv"
    text = generate()
    if "--check" in argv:
        same = target.read_text(encoding="utf-8") == text
        print("projects.csv is up to date" if same else "projects.csv differs: run generate.py")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.name}: {COUNT} projects")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
