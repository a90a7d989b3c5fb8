"""Build feedbot/render/atom.rng (used to validate feeds before publishing) from atom.rnc.

    python schemas/build_rng.py        (needs rnc2rng, in the test extras)

lxml reads only the XML syntax of RELAX NG, so the compact schema is converted here, with the
RFC 3339 rule of atom-rfc3339.rnc applied: a date must carry Z or an offset. rnc2rng cannot
follow atom-rfc3339.rnc's `include … { override }`, so the override is applied to the output.
"""

from __future__ import annotations

import sys
from pathlib import Path

import rnc2rng

HERE = Path(__file__).parent
TARGET = HERE.parent / "feedbot" / "render" / "atom.rng"
OFFSET_PATTERN = r".+(Z|[+\-][0-9]{2}:[0-9]{2})"


def build() -> str:
    xml = rnc2rng.dumps(rnc2rng.load(str(HERE / "atom.rnc")))
    # rnc2rng declares the empty "local" prefix, which lxml rejects; nothing uses the prefix
    # (the schema writes ns="" explicitly).
    xml = xml.replace(' xmlns:local=""', "").replace('\n         xmlns:local=""', "")
    before = '<define name="atomDateConstruct">'
    start = xml.index(before)
    data = xml.index('<data type="dateTime"/>', start)
    xml = (
        xml[:data]
        + f'<data type="dateTime"><param name="pattern">{OFFSET_PATTERN}</param></data>'
        + xml[data + len('<data type="dateTime"/>') :]
    )
    return xml


def main() -> int:
    TARGET.write_text(build(), encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
