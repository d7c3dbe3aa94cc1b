//===- ParserDefectsTest.cpp - The scan for MLIR 22's parser crashes ------===//
//
// Each refused spelling here crashes mlir-opt 22; each accepted one parses,
// or fails with MLIR's own error (test/Tools/parser-defects.test runs the
// tools on both kinds).
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
  for (std::string bad : std::initializer_list<std::string>{
           "[1 0]", "[1,]", "[x]", "[1.5]", "[9223372036854775808]", "[-9223372036854775809]",
           "[0xffffffffffffffff]", "1", "[0x, 0]", "[1", "[1,\f0]", "[1,\v0]"})
    EXPECT_TRUE(findParserDefect(transpose(bad))) << bad;
  // MLIR's lexer skips a NUL inside the buffer, as it does blanks.
  for (std::string good : std::initializer_list<std::string>{
           "[1, 0]", "[]", "[-9223372036854775808, 0x7fffffffffffffff]", "[1, // c\n 0]",
           "[01, 00]", "[- 1, 0]", std::string("[1,\0 0]", 7)})
    EXPECT_FALSE(findParserDefect(transpose(good))) << good;
}

TEST(ParserDefects, OnlyTheCustomFormOfTheThreeOperations) {
  EXPECT_TRUE(findParserDefect("linalg.broadcast ins(%a : t) outs(%b : t) dimensions = [x]"));
  EXPECT_TRUE(findParserDefect("linalg.reduce ins(%a : t) outs(%b : t) dimensions = [x]"));
  // ins and outs are optional, an attribute dictionary may come first, the
  // short form's payload names another operation, a NUL is skipped.
  EXPECT_TRUE(findParserDefect("linalg.transpose permutation = [1 0]"));
  EXPECT_TRUE(findParserDefect("linalg.transpose {x} permutation = [1 0]"));
  EXPECT_TRUE(
      findParserDefect("linalg.reduce { arith.addf } ins(%a : t) outs(%b : t) dimensions = [1 0]"));
  EXPECT_TRUE(findParserDefect(
      std::string("linalg.transpose ins(%a : t) outs(%b : t)\0 permutation = [1 0]", 62)));
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
  // Through type aliases, and past a NUL.
  EXPECT_TRUE(
      findParserDefect("!i = index\n!j = !i\nfunc.func @f() attributes {a = array<!j: 1>}"));
  EXPECT_FALSE(findParserDefect("!i = i64\nfunc.func @f() attributes {a = array<!i: 1>}"));
  EXPECT_TRUE(findParserDefect(std::string("{a = array<\0index: 1>}", 22)));
}

TEST(ParserDefects, IteratorTypesOfCustomFormsAreStrings) {
  EXPECT_TRUE(findParserDefect("linalg.generic {indexing_maps = [#m], iterator_types = [1]}"));
  EXPECT_TRUE(
      findParserDefect("vector.contract {iterator_types = [#vector.iterator_type<reduction>]}"));
  EXPECT_TRUE(findParserDefect("#trait = {iterator_types = [1]}\nlinalg.generic #trait"));
  EXPECT_FALSE(findParserDefect("linalg.generic {iterator_types = [\"parallel\"]}"));
  // The generic form's properties hold the enum attributes.
  EXPECT_FALSE(findParserDefect("\"linalg.generic\"(%a) <{iterator_types = "
                                "[#linalg.iterator_type<parallel>]}>"));
}

TEST(ParserDefects, ZeroAlignedBlobsWithDataInTheMetadataOnly) {
  std::string metadata = "{-#\n dialect_resources: { builtin: { b: \"";
  EXPECT_TRUE(findParserDefect(metadata + "0x0000000001\" } }\n#-}"));
  // MLIR refuses an upper-case 0X itself, and a key spelled as a string is
  // no blob.
  EXPECT_FALSE(findParserDefect(metadata + "0X0000000001\" } }\n#-}"));
  EXPECT_FALSE(findParserDefect("{-#\n dialect_resources: { builtin: { \"0x0000000001\": "
                                "\"0x04000000aa\" } }\n#-}"));
  EXPECT_FALSE(findParserDefect(metadata + "0x00000000\" } }\n#-}"));
  EXPECT_FALSE(findParserDefect(metadata + "0x0100000001\" } }\n#-}"));
  EXPECT_FALSE(findParserDefect("{s = \"0x0000000001\"}"));
}

} // namespace
