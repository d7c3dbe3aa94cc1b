# lit configuration of Pike's FileCheck suites.

import os
import re

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "PIKE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pike_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%pike_src_root", config.pike_src_root))
config.substitutions.append(("%pike_obj_root", config.pike_obj_root))
# The Python package runs from the source tree with the interpreter CMake
# chose (PIKE_PYTHON_EXECUTABLE: the project's .venv, else Debian's python3).
config.substitutions.append(
    ("%pike_python",
     f"env PYTHONPATH={os.path.join(config.pike_src_root, 'python')} {config.python_executable}"))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# The Python drivers find pike-opt and pike-run on PATH.
llvm_config.with_environment("PATH", config.pike_tools_dir, append_path=True)
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Integration", "Inputs")))

tool_dirs = [config.pike_tools_dir, config.llvm_tools_dir]
tools = ["pike-opt", "pike-run", "pike-translate", "pike-capi-test"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The CPU targets this host runs, as pike-run's target table says (the one
# definition, lib/Target/CpuTarget.cpp): each is a feature under its own name,
# so tests of a path the host cannot execute are UNSUPPORTED, never passed.
import json
import subprocess

_targets = json.loads(subprocess.run(
    [os.path.join(config.pike_tools_dir, "pike-run"), "--list-targets"],
    check=True, capture_output=True, text=True).stdout)
for _target in _targets["targets"]:
    if not _target["missing_here"]:
        config.available_features.add(_target["name"])
# The target `host` picks here: a run of another target the same as the
# host's can be left out (`host-is-vector`).
config.available_features.add(f"host-is-{_targets['host']}")
# More than two cores: every core (--threads=0) is more than two threads.
if (os.cpu_count() or 1) > 2:
    config.available_features.add("many-cores")

# Another architecture's targets run under qemu-user with its cross compiler
# (scripts/bootstrap.sh installs both): a feature per such triple.
import shutil
for _target in _targets["targets"]:
    _arch = _target["triple"].split("-")[0]
    if _target["missing_here"] and shutil.which(f"qemu-{_arch}") and \
            shutil.which(f"{_target['triple']}-gcc"):
        config.available_features.add(f"{_target['name']}-cross")

# llc with a target's backend compiles its code on any host: a feature per
# architecture llc registers (`llc-aarch64`).
_registered = subprocess.run([os.path.join(config.llvm_tools_dir, "llc"), "--version"],
                             capture_output=True, text=True).stdout
for _arch in ("aarch64", "x86-64"):
    if re.search(rf"^\s+{_arch}\s", _registered, re.M):
        config.available_features.add(f"llc-{_arch}")

# A build under AddressSanitizer: its allocator is not glibc's.
if "-fsanitize=address" in getattr(config, "pike_cxx_flags", ""):
    config.available_features.add("asan")
