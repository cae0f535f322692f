# Locates LLVM/Clang 19 through their CMake packages and fails with the name of
# the Debian package that is missing.
find_program(LLVM_CONFIG_19 llvm-config-19)
if(NOT LLVM_CONFIG_19)
  message(FATAL_ERROR "llvm-config-19 not found: install the Debian package llvm-19-dev "
                      "(or run scripts/setup-deps.sh)")
endif()
execute_process(COMMAND ${LLVM_CONFIG_19} --cmakedir OUTPUT_VARIABLE LLVM19_CMAKE_DIR
                OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${LLVM_CONFIG_19} --prefix OUTPUT_VARIABLE LLVM19_PREFIX
                OUTPUT_STRIP_TRAILING_WHITESPACE)

find_package(LLVM 19.1 CONFIG HINTS ${LLVM19_CMAKE_DIR})
if(NOT LLVM_FOUND)
  message(FATAL_ERROR "LLVM 19 CMake package not found: install the Debian package llvm-19-dev")
endif()
find_package(Clang CONFIG HINTS ${LLVM19_PREFIX}/lib/cmake/clang)
if(NOT Clang_FOUND)
  message(FATAL_ERROR "Clang 19 CMake package not found: install the Debian package libclang-19-dev")
endif()
if(NOT EXISTS ${LLVM19_PREFIX}/lib/libclangTidy.a)
  message(FATAL_ERROR "clang-tidy static libraries not found in ${LLVM19_PREFIX}/lib: "
                      "install the Debian package libclang-19-dev")
endif()
if(NOT EXISTS ${LLVM19_PREFIX}/include/clang-tidy/ClangTidyCheck.h)
  message(FATAL_ERROR "clang-tidy headers not found: install the Debian package libclang-19-dev")
endif()

find_program(CLANG_19 clang-19 HINTS ${LLVM19_PREFIX}/bin)
if(NOT CLANG_19)
  message(FATAL_ERROR "clang-19 not found: install the Debian package clang-19")
endif()
# Clang's own headers (stddef.h, the intrinsics) live in the resource directory.
# A tool installed outside LLVM's prefix cannot find it relative to itself, so
# the path is recorded here and passed to every parse that does not name one.
execute_process(COMMAND ${CLANG_19} -print-resource-dir OUTPUT_VARIABLE COROLINT_CLANG_RESOURCE_DIR
                OUTPUT_STRIP_TRAILING_WHITESPACE)

message(STATUS "corolint: LLVM ${LLVM_PACKAGE_VERSION} at ${LLVM19_PREFIX}, "
               "resource dir ${COROLINT_CLANG_RESOURCE_DIR}")

# Code that includes LLVM headers follows LLVM's own build: C++17, no RTTI.
function(corolint_llvm_target target)
  target_include_directories(${target} SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS}
                             ${LLVM19_PREFIX}/include/clang-tidy)
  target_compile_definitions(${target} PRIVATE ${LLVM_DEFINITIONS})
  target_compile_features(${target} PRIVATE cxx_std_17)
  set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
  target_compile_options(${target} PRIVATE -fno-rtti -Wall -Wextra -Wno-unused-parameter)
endfunction()
