#include "CheckDocs.h"

#include <gtest/gtest.h>

namespace corolint {
namespace {

TEST(CheckDocs, DescriptionsComeFromTheFirstParagraph) {
  CheckInfo Info = describeCheck(
      "async-x",
      "# async-x\n\nFinds a thing. It matters\nbecause.\n\n## Options\n");
  EXPECT_EQ(Info.ShortDescription, "Finds a thing.");
  EXPECT_EQ(Info.FullDescription, "Finds a thing. It matters because.");
}

TEST(CheckDocs, EveryRegisteredPageIsEmbedded) {
  std::vector<CheckInfo> Checks = documentedChecks();
  ASSERT_FALSE(Checks.empty());
  for (const CheckInfo &C : Checks) {
    EXPECT_EQ(C.Name.rfind("async-", 0), 0u) << C.Name;
    EXPECT_FALSE(C.ShortDescription.empty()) << C.Name;
    EXPECT_NE(C.Markdown.find("# " + C.Name), std::string::npos) << C.Name;
  }
  EXPECT_TRUE(findCheckDoc("async-unawaited-task").has_value());
  EXPECT_FALSE(findCheckDoc("async-no-such-check").has_value());
}

} // namespace
} // namespace corolint
