//===--- LibraryFile.cpp - a user's library, from a file ------------------===//

#include "model/LibraryFile.h"
#include "model/LibraryModel.h"
#include "utils/NameList.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"

namespace clang::tidy::corolint::model {
namespace {

// A pattern or a namespace as written in the file; a type of its own so
// that its YAML traits cannot clash with anyone else's for std::string.
struct Entry {
  std::string Text;
};

struct FileLibrary {
  std::string Name;
  std::string Source;
  std::vector<Entry> Namespaces;
  std::array<std::vector<Entry>, NumRoles> Roles;
  std::array<std::vector<Entry>, NumBlockingKinds> Blocking;
  std::array<std::string, NumBlockingKinds> BlockingAdvice;
  std::array<std::string, NumFanoutKinds> FanoutAdvice;
};

// The nested mappings of a library, each a view of part of it.
struct BlockingLists {
  FileLibrary *Library;
};
struct AdviceStrings {
  FileLibrary *Library;
};

struct File {
  std::vector<FileLibrary> Libraries;
};

std::vector<std::string> texts(const std::vector<Entry> &Entries) {
  std::vector<std::string> Out;
  for (const Entry &E : Entries)
    Out.push_back(E.Text);
  return Out;
}

} // namespace
} // namespace clang::tidy::corolint::model

using namespace clang::tidy::corolint::model;

LLVM_YAML_IS_FLOW_SEQUENCE_VECTOR(Entry)
LLVM_YAML_IS_SEQUENCE_VECTOR(FileLibrary)

namespace llvm::yaml {

template <> struct ScalarTraits<Entry> {
  static void output(const Entry &E, void *, raw_ostream &Out) {
    Out << E.Text;
  }
  static StringRef input(StringRef Scalar, void *, Entry &E) {
    E.Text = Scalar.str();
    return "";
  }
  static QuotingType mustQuote(StringRef) { return QuotingType::Single; }
};

template <> struct MappingTraits<BlockingLists> {
  static void mapping(IO &Io, BlockingLists &Lists) {
    for (size_t K = 0; K < NumBlockingKinds; ++K)
      Io.mapOptional(blockingKey(static_cast<BlockingKind>(K)).data(),
                     Lists.Library->Blocking[K]);
  }
};

template <> struct MappingTraits<AdviceStrings> {
  static void mapping(IO &Io, AdviceStrings &Advice) {
    for (size_t K = 0; K < NumBlockingKinds; ++K)
      Io.mapOptional(blockingKey(static_cast<BlockingKind>(K)).data(),
                     Advice.Library->BlockingAdvice[K]);
    for (size_t K = 0; K < NumFanoutKinds; ++K)
      Io.mapOptional(fanoutKey(static_cast<FanoutKind>(K)).data(),
                     Advice.Library->FanoutAdvice[K]);
  }
};

template <> struct MappingTraits<FileLibrary> {
  static void mapping(IO &Io, FileLibrary &L) {
    Io.mapRequired("name", L.Name);
    Io.mapOptional("source", L.Source);
    Io.mapOptional("namespaces", L.Namespaces);
    for (size_t R = 0; R < NumRoles; ++R)
      Io.mapOptional(roleKey(static_cast<Role>(R)).data(), L.Roles[R]);
    BlockingLists Lists{&L};
    Io.mapOptional("blocking", Lists);
    AdviceStrings Advice{&L};
    Io.mapOptional("advice", Advice);
  }
  static std::string validate(IO &, FileLibrary &L) {
    if (StringRef(L.Name).trim().empty())
      return "a library needs a non-empty 'name'";
    return "";
  }
};

template <> struct MappingTraits<File> {
  static void mapping(IO &Io, File &F) {
    Io.mapRequired("libraries", F.Libraries);
  }
};

} // namespace llvm::yaml

namespace clang::tidy::corolint::model {

llvm::Expected<std::vector<LibraryTable>>
parseLibraryFile(llvm::StringRef Text, llvm::StringRef Path) {
  std::string Problems;
  auto Report = [](const llvm::SMDiagnostic &D, void *Context) {
    auto &Out = *static_cast<std::pair<std::string *, std::string> *>(Context);
    *Out.first += Out.second + ":" + std::to_string(D.getLineNo()) + ":" +
                  std::to_string(D.getColumnNo() + 1) + ": " +
                  D.getMessage().str() + "\n";
  };
  std::pair<std::string *, std::string> Where{&Problems, Path.str()};
  File Parsed;
  {
    llvm::yaml::Input In(Text, nullptr, Report, &Where);
    In >> Parsed;
    if (In.error() && Problems.empty())
      Problems =
          (Path + ": not a library file: " + In.error().message() + "\n").str();
  }
  std::vector<LibraryTable> Tables;
  for (FileLibrary &L : Parsed.Libraries) {
    LibraryTable T;
    T.Name = llvm::StringRef(L.Name).trim().str();
    T.Source = L.Source;
    T.Namespaces = texts(L.Namespaces);
    for (std::string &Namespace : T.Namespaces) {
      llvm::StringRef N = llvm::StringRef(Namespace).trim();
      N.consume_front("::");
      if (N.empty()) {
        Problems += (Path + ": library '" + T.Name +
                     "': an empty entry in 'namespaces'\n")
                        .str();
        continue;
      }
      // "boost::asio" and "boost::asio::" mean the same namespace.
      Namespace = N.ends_with("::") ? N.str() : (N + "::").str();
    }
    for (size_t R = 0; R < NumRoles; ++R)
      T.Roles[R] = texts(L.Roles[R]);
    for (size_t K = 0; K < NumBlockingKinds; ++K)
      T.Blocking[K] = texts(L.Blocking[K]);
    T.BlockingAdvice = L.BlockingAdvice;
    T.FanoutAdvice = L.FanoutAdvice;
    // Every pattern must be a regular expression; a library with a bad one
    // is refused whole, so that nothing is silently left out.
    for (const std::string &Problem : Library(T).invalidEntries())
      Problems += (Path + ": library '" + T.Name +
                   "': invalid regular expression " + Problem + "\n")
                      .str();
    Tables.push_back(std::move(T));
  }
  if (!Problems.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   llvm::StringRef(Problems).rtrim().str());
  return Tables;
}

} // namespace clang::tidy::corolint::model
