# Helpers that declare ckpt's libraries the way CIRCT's add_circt_library
# does: an MLIR library (add_mlir_library) kept out of MLIR's own export
# set (DISABLE_INSTALL), installed into ckpt's export set CkptTargets, and
# linked to MLIR through mlir_target_link_libraries, so that
# MLIR_LINK_MLIR_DYLIB decides between the one libMLIR.so and MLIR's static
# component libraries.

# add_ckpt_library(name sources...
#   [MLIR_LIBS lib...]         MLIR component libraries used (MLIRIR, ...)
#   [any add_mlir_library argument: DEPENDS, LINK_LIBS, SHARED, ...])
function(add_ckpt_library name)
  cmake_parse_arguments(ARG "" "" "MLIR_LIBS" ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS} DISABLE_INSTALL)
  if(ARG_MLIR_LIBS)
    mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  endif()
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  add_ckpt_install(${name})
endfunction()

# Installs a library, module or executable target into the CkptTargets
# export set (lib/ and bin/ of the prefix). Installed tools and shared
# libraries find ckpt's libraries beside them and libMLIR.so in LLVM's
# library folder, which is not on the loader's default path.
function(add_ckpt_install name)
  set_target_properties(${name} PROPERTIES
    INSTALL_RPATH "\$ORIGIN/../lib;${LLVM_LIBRARY_DIR}")
  install(TARGETS ${name} EXPORT CkptTargets
    ARCHIVE DESTINATION lib COMPONENT ckpt
    LIBRARY DESTINATION lib COMPONENT ckpt
    RUNTIME DESTINATION bin COMPONENT ckpt)
  set_property(GLOBAL APPEND PROPERTY CKPT_EXPORTS ${name})
endfunction()
