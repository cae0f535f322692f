# lit configuration for corolint's tests: check tests (test/checks), CLI tests
# (test/cli), the clangd LSP test (test/clangd) and the corpus runs
# (test/corpus, test/dogfood).
import os
import lit.formats

config.name = "corolint"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs", "consumer", "unit", "lsp_client.py", "validate_json.py", "check_sarif.py", "check_utf8_reports.py", "check_shards.py", "check_annotations.py", "check_examples.py", "compare_lock_checks.py", "compare_dangling_checks.py", "lock-cases.cpp", "check_cost.py", "lint_vs_peers.py", "scaling.py", "barchart.py", "perfrun.py", "instructions.py", "ci_at_scale.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.binary_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, os.environ.get("PATH", "")])
for var in ("HOME", "TMPDIR", "LANG", "LC_ALL"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

config.substitutions.append(("%corolint-tidy", config.corolint_tidy))
config.substitutions.append(("%corolint-clangd", config.corolint_clangd))
config.substitutions.append(("%corolint", config.corolint))
config.substitutions.append(
    ("%clang_tidy_plugin", "%s --load=%s" % (config.clang_tidy, config.plugin)))
config.substitutions.append(("%clangxx", config.clangxx))
config.substitutions.append(("%stock-clang-tidy", config.clang_tidy))
config.substitutions.append(("%plugin", config.plugin))
config.substitutions.append(("%python", config.python))
config.substitutions.append(("%cmake-configure", "%s -G \"%s\" -DCMAKE_MAKE_PROGRAM=%s" % (config.cmake, config.generator, config.make_program)))
config.substitutions.append(("%cmake", config.cmake))
config.substitutions.append(("%sarif-multitool", config.sarif_multitool))
config.substitutions.append(("%asio-examples", config.asio_examples))
config.substitutions.append(("%repo", config.source_root))
config.substitutions.append(("%binroot", config.binary_root))
config.substitutions.append(("%testsrc", os.path.dirname(__file__)))

if config.has_clangd:
    config.available_features.add("clangd")
if config.sarif_multitool and os.path.exists(config.sarif_multitool):
    config.available_features.add("sarif-multitool")
if config.asio_examples and os.path.isdir(config.asio_examples):
    config.available_features.add("asio-examples")

# QCoro's real headers (Debian's qcoro-qt5-dev, installed by
# scripts/setup-deps.sh) and the Qt 5 headers they include.
import glob
qt5 = sorted(glob.glob("/usr/include/*/qt5"))
qcoro_flags = ["-I/usr/include/qcoro5/QCoro", "-I/usr/include/qcoro5/qcoro",
               "-I/usr/include/qcoro5"]
for root in qt5[:1]:
    qcoro_flags += ["-I" + root] + ["-I" + os.path.join(root, m)
                                    for m in ("QtCore", "QtNetwork")]
config.substitutions.append(("%qcoro-flags", " ".join(qcoro_flags)))
