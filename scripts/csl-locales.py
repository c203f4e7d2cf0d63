"""Write src/pressroom/resources/csl/locales.json from the CSL locale files (Debian's package
citation-style-language-locales, /usr/share/citation-style-language/locales): for each locale, the
term each locator label is written with (its short form, else its long one), so that a locator
reaches pandoc's citeproc in the words it looks for in that locale ("S." in German).
Run by hand when the locales are updated: python scripts/csl-locales.py."""

import json
import sys
from pathlib import Path

from lxml import etree

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/citation-style-language/locales")
TARGET = Path(__file__).resolve().parent.parent / "src/pressroom/resources/csl/locales.json"
LABELS = ("page", "volume", "chapter", "section", "paragraph", "column", "note", "line", "figure", "issue")
NS = {"c": "http://purl.org/net/xbiblio/csl"}

table = {}
for path in sorted(SOURCE.glob("locales-*.xml")):
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    terms = {}
    for label in LABELS:
        for form in ("short", "long"):
            found = root.xpath(f"//c:terms/c:term[@name='{label}' and (@form='{form}'"
                               + (" or not(@form)" if form == "long" else "") + ")]", namespaces=NS)
            if found:
                single = found[0].find("c:single", NS)
                text = (single.text if single is not None else found[0].text) or ""
                if text.strip():
                    terms[label] = text.strip()
                    break
    table[root.get("{http://www.w3.org/XML/1998/namespace}lang")] = terms
TARGET.write_text(json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
print(f"{len(table)} locales → {TARGET}")
