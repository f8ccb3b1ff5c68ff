"""ctypes declarations of ckpt's C API (include/ckpt-c/Pipeline.h).

The library is libCkptCAPI.so: the one named by the environment variable
CKPT_CAPI_LIBRARY, else the one in the ``lib`` folder beside this package's
folder (``<prefix>/python/ckpt`` -> ``<prefix>/lib``, also in the build
folder), else ``build/lib`` of the source tree this package sits in.
"""

import ctypes
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
_NAME = "libCkptCAPI.so"


class MlirStringRef(ctypes.Structure):
    """mlir-c/Support.h: a pointer and a length (bytes, not NUL-terminated)."""

    _fields_ = [("data", ctypes.c_char_p), ("length", ctypes.c_size_t)]

    @classmethod
    def of(cls, data: bytes) -> "MlirStringRef":
        return cls(data, len(data))

    def to_str(self) -> str:
        if not self.data:
            return ""
        return ctypes.string_at(self.data, self.length).decode("utf-8")


class CkptPipelineResult(ctypes.Structure):
    """ckpt-c/Pipeline.h: whether it succeeded, the output, the diagnostics."""

    _fields_ = [("succeeded", ctypes.c_bool), ("output", MlirStringRef),
                ("diagnostics", MlirStringRef)]


def _candidates():
    env = os.environ.get("CKPT_CAPI_LIBRARY")
    if env:
        return [env]
    return [os.path.join(_HERE, "..", "..", "lib", _NAME),
            os.path.join(_HERE, "..", "..", "build", "lib", _NAME)]


def load():
    """Loads libCkptCAPI.so and declares its functions; raises OSError."""
    tried = []
    for path in _candidates():
        path = os.path.normpath(path)
        tried.append(path)
        if os.path.exists(path):
            break
    else:
        raise OSError("ckpt: cannot find %s (tried %s); set CKPT_CAPI_LIBRARY"
                      % (_NAME, ", ".join(tried)))
    lib = ctypes.CDLL(path)
    lib.ckptRunPipeline.argtypes = [MlirStringRef, MlirStringRef]
    lib.ckptRunPipeline.restype = CkptPipelineResult
    lib.ckptPipelineResultDestroy.argtypes = [ctypes.POINTER(CkptPipelineResult)]
    lib.ckptPipelineResultDestroy.restype = None
    lib.ckptRegisterPasses.argtypes = []
    lib.ckptRegisterPasses.restype = None
    return lib
