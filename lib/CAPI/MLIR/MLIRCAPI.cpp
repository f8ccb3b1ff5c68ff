//===- MLIRCAPI.cpp - libCkptMLIRCAPI.so: MLIR's own C API ------*- C++ -*-===//
//
// libCkptMLIRCAPI.so is Debian's static MLIRCAPI* archives, linked whole
// against libMLIR.so (see this folder's CMakeLists.txt): it stands in for the
// libMLIR-C.so that Debian does not ship. This file holds no code; CMake
// wants a source for every library.
//
//===----------------------------------------------------------------------===//
