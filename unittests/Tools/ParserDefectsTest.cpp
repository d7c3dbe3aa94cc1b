//===- ParserDefectsTest.cpp - The scan for MLIR 22's parser crashes ------===//
//
// Each refused spelling here crashes mlir-opt 22; each accepted one parses
// (test/Tools/parser-defects.test runs the tools on both kinds).
//
//===----------------------------------------------------------------------===//

#include "pike/Tools/ParserDefects.h"

#include <gtest/gtest.h>

#include <string>

using mlir::pike::findParserDefect;

namespace {

std::string transpose(const std::string &permutation) {
  return "%r = linalg.transpose ins(%a : tensor<2x3xf32>) outs(%b : tensor<3x2xf32>) "
         "permutation = " +
         permutation;
}

TEST(ParserDefects, LinalgListsMustBeSixtyFourBitIntegers) {
  for (const char *bad : {"[1 0]", "[1,]", "[x]", "[1.5]", "[9223372036854775808]",
                          "[-9223372036854775809]", "[0xffffffffffffffff]", "1", "[0x, 0]", "[1"})
    EXPECT_TRUE(findParserDefect(transpose(bad))) << bad;
  for (const char *good : {"[1, 0]", "[]", "[-9223372036854775808, 0x7fffffffffffffff]",
                           "[1, // c\n 0]", "[01, 00]", "[- 1, 0]"})
    EXPECT_FALSE(findParserDefect(transpose(good))) << good;
}

TEST(ParserDefects, OnlyTheCustomFormOfTheThreeOperations) {
  EXPECT_TRUE(findParserDefect("linalg.broadcast ins(%a : t) outs(%b : t) dimensions = [x]"));
  EXPECT_TRUE(findParserDefect("linalg.reduce ins(%a : t) outs(%b : t) dimensions = [x]"));
  // Another operation's keyword, an attribute dictionary, a value's name.
  EXPECT_FALSE(findParserDefect("foo.bar ins(%a : t) outs(%b : t) dimensions = [x]"));
  EXPECT_FALSE(findParserDefect("\"linalg.transpose\"(%a) <{permutation = array<i64: 1, 0>}>"));
  EXPECT_FALSE(findParserDefect("linalg.transpose ins(%a : t) outs(%b : t) %permutation = [x]"));
  // A keyword without `=` fails in MLIR's parser without a crash.
  EXPECT_FALSE(findParserDefect("linalg.transpose ins(%a : t) outs(%b : t) permutation [x]"));
}

TEST(ParserDefects, IndexArraysOutsideStringsAndComments) {
  std::optional<mlir::pike::ParserDefect> defect =
      findParserDefect("func.func @f()\n  attributes {a = array <index: 1>} { return }");
  ASSERT_TRUE(defect);
  EXPECT_EQ(defect->line, 2u);
  EXPECT_EQ(defect->column, 19u);
  EXPECT_FALSE(findParserDefect("{s = \"array<index: 1>\"} // array<index: 2>"));
  EXPECT_FALSE(findParserDefect("!llvm.array<2 x index>"));
  EXPECT_FALSE(findParserDefect("array<i64: 1>"));
}

TEST(ParserDefects, ZeroAlignedBlobsWithDataInTheMetadataOnly) {
  std::string metadata = "{-#\n dialect_resources: { builtin: { b: \"";
  EXPECT_TRUE(findParserDefect(metadata + "0x0000000001\" } }\n#-}"));
  EXPECT_TRUE(findParserDefect(metadata + "0X0000000001\" } }\n#-}"));
  EXPECT_FALSE(findParserDefect(metadata + "0x00000000\" } }\n#-}"));
  EXPECT_FALSE(findParserDefect(metadata + "0x0100000001\" } }\n#-}"));
  EXPECT_FALSE(findParserDefect("{s = \"0x0000000001\"}"));
}

} // namespace
