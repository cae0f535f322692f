//===--- FileWrite.cpp - write a file whole or not at all -----------------===//

#include "FileWrite.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace corolint {

llvm::Error writeFileAtomically(const std::string &Path,
                                llvm::StringRef Contents) {
  auto Fail = [&](const llvm::Twine &What, std::error_code EC) {
    return llvm::createStringError(EC, "cannot write '" + Path + "': " + What +
                                           ": " + EC.message());
  };
  llvm::sys::fs::perms Mode =
      llvm::sys::fs::all_read | llvm::sys::fs::all_write;
  llvm::ErrorOr<llvm::sys::fs::perms> Existing =
      llvm::sys::fs::getPermissions(Path);
  if (Existing)
    Mode = *Existing;
  // Same folder, so that the rename stays on one file system.
  llvm::Expected<llvm::sys::fs::TempFile> Temp =
      llvm::sys::fs::TempFile::create(Path + ".corolint-%%%%%%", Mode);
  if (!Temp)
    return Fail("cannot create a temporary file beside it",
                llvm::errorToErrorCode(Temp.takeError()));
  {
    llvm::raw_fd_ostream OS(Temp->FD, /*shouldClose=*/false);
    OS << Contents;
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::consumeError(Temp->discard());
      return Fail("writing failed", EC);
    }
  }
  if (Existing)
    (void)llvm::sys::fs::setPermissions(Temp->FD, *Existing);
  if (llvm::Error E = Temp->keep(Path))
    return Fail("cannot replace it", llvm::errorToErrorCode(std::move(E)));
  return llvm::Error::success();
}

} // namespace corolint
