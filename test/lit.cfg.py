# -*- Python -*-
# lit configuration for the ckpt regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "CKPT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ckpt_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "lib"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%ckpt_src_root", config.ckpt_src_root))
config.substitutions.append(("%ckpt_obj_root", config.ckpt_obj_root))
config.substitutions.append(("%ckpt_lib_dir", config.ckpt_lib_dir))
config.substitutions.append(("%ckpt_python_dir", config.ckpt_python_dir))
config.substitutions.append(("%llvm_lib_dir", config.llvm_lib_dir))

# Debian installs FileCheck, not and mlir-opt unversioned only here.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.ckpt_tools_dir, append_path=True)
llvm_config.use_default_substitutions()

# The real third-party graphs live beside the project in ../shared/models; a
# user's clone does not have them, so tests that read them need this feature.
models_dir = os.path.join(os.path.dirname(config.ckpt_src_root), "shared", "models")
if os.path.isdir(models_dir):
    config.available_features.add("shared-models")
    config.substitutions.append(("%shared_models", models_dir))

# The gradient oracle needs Debian's python3-torch, which imports from the
# system interpreter, not from a python3 that may come first on PATH.
import subprocess
torch_python = "/usr/bin/python3"
try:
    subprocess.run([torch_python, "-c", "import torch"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config.available_features.add("torch")
    config.substitutions.append(("%torch_python", torch_python))
except (OSError, subprocess.CalledProcessError):
    pass

# numpy (ckpt-run --inputs/--outputs, the input oracles) from the same
# system interpreter.
try:
    subprocess.run([torch_python, "-c", "import numpy"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config.available_features.add("numpy")
    config.substitutions.append(("%numpy_python", torch_python))
except (OSError, subprocess.CalledProcessError):
    pass

# The PyTorch front end (python/ckpt_torch, issue 15) runs in the venv of
# scripts/torch-venv.sh (torch, torch-mlir), named by CKPT_TORCH_PYTHON
# (scripts/test.sh sets it). Without it the front-end tests are UNSUPPORTED,
# except in CI (CI=true), where they must never be skipped.
ckpt_torch_python = os.environ.get("CKPT_TORCH_PYTHON", "")
torch_frontend_error = None
if not ckpt_torch_python:
    torch_frontend_error = "CKPT_TORCH_PYTHON is not set"
else:
    try:
        subprocess.run([ckpt_torch_python, "-c", "import torch, torch_mlir.fx, numpy"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as e:
        torch_frontend_error = "CKPT_TORCH_PYTHON=%s: %s" % (ckpt_torch_python, e)
    except subprocess.CalledProcessError as e:
        torch_frontend_error = "CKPT_TORCH_PYTHON=%s cannot import torch and torch_mlir: %s" % (
            ckpt_torch_python, e.stderr.decode(errors="replace").strip().splitlines()[-1:])
if torch_frontend_error is None:
    config.available_features.add("torch-frontend")
    config.substitutions.append(("%torch_venv_python", ckpt_torch_python))
elif os.environ.get("CI", "").lower() == "true":
    lit_config.fatal("the PyTorch front-end tests need the venv of scripts/torch-venv.sh "
                     "in CI: " + torch_frontend_error)
elif ckpt_torch_python:
    lit_config.warning("torch-frontend tests UNSUPPORTED: " + torch_frontend_error)

# The Pareto SVG's screenshot test (issue 17): Debian's chromium renders it
# headless, Debian's python3-pil reads the PNG. scripts/test.sh installs
# both; in CI (CI=true) they must be there, elsewhere the test is UNSUPPORTED.
import shutil
chromium = shutil.which("chromium")
try:
    subprocess.run([torch_python, "-c", "import PIL"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    has_pil = True
except (OSError, subprocess.CalledProcessError):
    has_pil = False
if chromium and has_pil:
    config.available_features.add("chromium")
    config.substitutions.append(("%chromium", chromium))
    config.substitutions.append(("%pil_python", torch_python))
elif os.environ.get("CI", "").lower() == "true":
    lit_config.fatal("the Pareto screenshot test needs Debian's chromium and "
                     "python3-pil in CI (scripts/test.sh installs them)")

# ptxas (for fatbin output of ckpt-lower-to-nvvm) comes with the CUDA
# toolkit; without it the pipeline embeds PTX.
cuda_bin = "/usr/local/cuda/bin"
if os.path.isdir(cuda_bin):
    llvm_config.with_environment("PATH", cuda_bin, append_path=True)
if shutil.which("ptxas", path=config.environment["PATH"]):
    config.available_features.add("ptxas")

# A usable NVIDIA driver and device (libcuda.so.1, cuInit, at least one
# device): the GPU half of the GPU check runs only there.
def has_cuda_device():
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int(0)
    return (cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0
            and count.value > 0)
if has_cuda_device():
    config.available_features.add("cuda-device")

# ckpt-opt linked against jemalloc (CMake option CKPT_USE_JEMALLOC).
if getattr(config, "ckpt_use_jemalloc", False):
    config.available_features.add("jemalloc")

# The mlir-opt plugin (built against libMLIR.so only), for Debian's mlir-opt.
if getattr(config, "ckpt_has_plugin", False):
    config.available_features.add("plugin")
    config.substitutions.append(
        ("%ckpt_plugin", os.path.join(config.ckpt_lib_dir, "libCkptPlugin.so")))

# The C API libraries (built against libMLIR.so only).
if getattr(config, "ckpt_has_capi", False):
    config.available_features.add("capi")

tool_dirs = [config.ckpt_tools_dir, config.llvm_tools_dir]
tools = ["ckpt-opt", "ckpt-run", "ckpt-torch", "ckpt-capi-test", "mlir-opt", "mlir-runner", "llvm-nm", "llvm-readelf"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# MPI (issue 18): Debian's Open MPI and MPICH side by side, always called by
# their explicit launcher names. Tests that launch ranks are serialized in the
# "mpi" parallelism group and run under a timeout.
lit_config.parallelism_groups["mpi"] = 1
for impl, launcher, libs in (
    ("openmpi", "mpirun.openmpi",
     ["/usr/lib/x86_64-linux-gnu/openmpi/lib/libmpi.so",
      "/usr/lib/x86_64-linux-gnu/libmpi.so"]),
    ("mpich", "mpirun.mpich",
     ["/usr/lib/x86_64-linux-gnu/libmpich.so",
      "/usr/lib/x86_64-linux-gnu/libmpich.so.12"])):
    path = shutil.which(launcher)
    lib = next((l for l in libs if os.path.exists(l)), None)
    if path and lib:
        config.available_features.add("mpi-" + impl)
        config.substitutions.append(("%mpirun_" + impl, path))
        config.substitutions.append(("%mpi_lib_" + impl, lib))
# Open MPI refuses root and shared-memory single copy in containers.
for var in ("OMPI_ALLOW_RUN_AS_ROOT", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"):
    config.environment[var] = "1"
config.environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
config.environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
