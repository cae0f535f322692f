//===--- ModuleAnchor.h - keep the check module linked in --------*- C++
//-*-===//
//
// The checks register themselves from a static object in
// checks/CorolintModule.cpp. An executable includes this header once, in its
// main file, so that the linker keeps that object (as clang-tidy's own
// ClangTidyForceLinker.h does for the upstream modules).
//
//===----------------------------------------------------------------------===//

#ifndef COROLINT_DRIVER_MODULEANCHOR_H
#define COROLINT_DRIVER_MODULEANCHOR_H

namespace clang::tidy {
extern volatile int CorolintModuleAnchorSource;
[[maybe_unused]] static int CorolintModuleAnchorDestination =
    CorolintModuleAnchorSource;
} // namespace clang::tidy

#endif
