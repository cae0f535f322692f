#!/usr/bin/env python3
"""The corolint::* annotation strings are written in three places that must
agree: the checks' constants (checks/utils/Annotations.h), asyncrt's macros
(runtime-support/include/asyncrt/annotations.hpp) and the user-facing table
(docs/annotations.md). This reads all three and fails on any difference:
a string missing from one, a macro spelled with another string, a check
named in the docs that does not read it: by its constant, in the check's
sources or a checks/utils/ source they include, or through the library model
(checks/model/LibraryModel.cpp), by asking for the role the model reads the
annotation for.

usage: check_annotations.py REPO"""
import glob
import os
import re
import sys


def fail(msg):
    print("check_annotations: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    repo = sys.argv[1]
    read = lambda *p: open(os.path.join(repo, *p)).read()
    # Constant name -> string, from the checks.
    constants = dict(re.findall(
        r'StringLiteral\s+(\w+)\s*=\s*"(corolint::\w+)"',
        read("checks", "utils", "Annotations.h").replace("\n", " ")))
    # Macro -> string, from asyncrt.
    macros = dict(re.findall(
        r'#define\s+(ASYNCRT_\w+)\s+(?:\\\s*)?ASYNCRT_ANNOTATE\("(corolint::\w+)"\)',
        read("runtime-support", "include", "asyncrt", "annotations.hpp")))
    # Macro -> (string, checks), from the docs' table.
    docs = {}
    for macro, string, checks in re.findall(
            r'^\| `(ASYNCRT_\w+)` \| `(corolint::\w+)` \| [^|]+ \| ([^|]+) \|$',
            read("docs", "annotations.md"), re.M):
        docs[macro] = (string, [c.strip() for c in checks.split(",")])
    if not constants or not macros or not docs:
        fail("found nothing in one of the three files: %d constants, %d "
             "macros, %d documented" % (len(constants), len(macros), len(docs)))
    strings = set(constants.values())
    if set(macros.values()) != strings:
        fail("asyncrt's macros %s and the checks' strings %s differ" %
             (sorted(set(macros.values())), sorted(strings)))
    for macro, string in macros.items():
        if macro not in docs:
            fail("%s is not in docs/annotations.md" % macro)
        if docs[macro][0] != string:
            fail("%s is %s in asyncrt but %s in the docs" %
                 (macro, string, docs[macro][0]))
    for macro in docs:
        if macro not in macros:
            fail("docs/annotations.md lists %s, which asyncrt does not define"
                 % macro)
    # The model's reading: annotation constant -> how a check asks for it.
    model = read("checks", "model", "LibraryModel.cpp")
    asked_by = {}
    for role, const in re.findall(
            r'case Role::(\w+):\s*return annotations::hasAnnotation\(D, '
            r'annotations::(\w+)\);', model):
        asked_by[const] = "Role::" + role
    if re.search(r'AsyncModel::blocking\(.*?annotations::Blocking', model,
                 re.S):
        asked_by["Blocking"] = "Model.blocking("
    # Each documented reader reads the constant.
    by_string = {s: name for name, s in constants.items()}
    for macro, (string, checks) in docs.items():
        for check in checks:
            words = [w.capitalize() for w in check.split("-")[1:]]
            source = os.path.join(repo, "checks", "".join(words) + "Check.cpp")
            if not os.path.exists(source):
                fail("docs/annotations.md names %s for %s: no %s" %
                     (check, macro, source))
            # The check's own source, and the shared utilities it includes.
            text = open(source).read()
            header = source[:-len(".cpp")] + ".h"
            if os.path.exists(header):
                text += open(header).read()
            for util in re.findall(r'#include "utils/(\w+)\.h"', text):
                path = os.path.join(repo, "checks", "utils", util + ".cpp")
                if os.path.exists(path):
                    text += open(path).read()
            const = by_string[string]
            if ("annotations::" + const not in text and
                    (const not in asked_by or asked_by[const] not in text)):
                fail("%s does not read %s (annotations::%s), though the docs "
                     "say it does" % (check, string, const))
    print("check_annotations: ok (%d annotations agree)" % len(strings))


if __name__ == "__main__":
    main()
