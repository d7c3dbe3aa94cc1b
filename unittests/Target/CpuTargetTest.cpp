//===- CpuTargetTest.cpp - The CPU target table is complete and consistent ===//

#include "pike/Target/CpuTarget.h"

#include "llvm/ADT/StringSet.h"

#include <gtest/gtest.h>

using namespace mlir::pike;

namespace {

TEST(CpuTargetTest, EveryConcreteTargetHasOneRow) {
  for (CpuTarget target :
       {CpuTarget::scalar, CpuTarget::vector, CpuTarget::avx512_vnni,
        CpuTarget::avx512_vnni_popcnt, CpuTarget::aarch64}) {
    const CpuTargetInfo &info = cpuTargetInfo(target);
    EXPECT_EQ(info.id, target);
    EXPECT_EQ(parseCpuTarget(info.name), target) << info.name.str();
  }
  llvm::StringSet<> names;
  for (const CpuTargetInfo &info : cpuTargets())
    EXPECT_TRUE(names.insert(info.name).second) << "two rows named " << info.name.str();
  EXPECT_FALSE(names.contains("host"));
  EXPECT_EQ(parseCpuTarget("host"), CpuTarget::host);
  EXPECT_EQ(parseCpuTarget("avx2"), std::nullopt);
}

TEST(CpuTargetTest, KernelsHaveWholeVectorsOfLanes) {
  for (const CpuTargetInfo &info : cpuTargets()) {
    if (!info.hasKernels()) {
      EXPECT_EQ(info.vectorBits, 0u) << info.name.str();
      continue;
    }
    // The kernels' tables and packed layouts assume 4-lane quads fill a
    // vector and i16 pairs fit it.
    EXPECT_GE(info.lanes(), 4) << info.name.str();
    EXPECT_EQ(info.vectorBits % 128, 0u) << info.name.str();
    // A vector is whole registers of the instruction set's file.
    EXPECT_EQ(info.vectorBits % info.registerBits, 0u) << info.name.str();
    EXPECT_GE(info.vectorRegisters, 16u) << info.name.str();
  }
}

TEST(CpuTargetTest, RegisterFilesAreTheInstructionSets) {
  // AVX2's 16 ymm, AVX-512's 32 zmm, NEON's 32 q registers.
  const CpuTargetInfo &avx2 = cpuTargetInfo(CpuTarget::vector);
  EXPECT_EQ(avx2.cpuLevel, "x86-64-v3");
  EXPECT_EQ(avx2.vectorRegisters * avx2.registerBits, 16u * 256);
  EXPECT_EQ(avx2.registersPerVector(), 2);
  const CpuTargetInfo &avx512 = cpuTargetInfo(CpuTarget::avx512_vnni);
  EXPECT_EQ(avx512.vectorRegisters * avx512.registerBits, 32u * 512);
  EXPECT_EQ(cpuTargetInfo(CpuTarget::aarch64).vectorRegisters, 32u);
  EXPECT_EQ(cpuTargetInfo(CpuTarget::aarch64).registersPerVector(), 1);
}

TEST(CpuTargetTest, BytePairsNeedPmaddubsw) {
  // pike.vector_dot2_bytes is written portably; a row that steps on it
  // must run the instruction LLVM selects for it (SSSE3's pmaddubsw).
  EXPECT_TRUE(cpuTargetInfo(CpuTarget::vector).hasU8S8Pairs());
  for (const CpuTargetInfo &info : cpuTargets())
    if (info.hasU8S8Pairs())
      EXPECT_TRUE(llvm::is_contained(info.requiredFeatures(), "ssse3")) << info.name.str();
    else
      EXPECT_TRUE(info.isAArch64() || !info.hasKernels()) << info.name.str();
}

TEST(CpuTargetTest, HostResolvesToARowItRuns) {
  CpuTarget host = hostCpuTarget();
  EXPECT_NE(host, CpuTarget::host);
  EXPECT_TRUE(missingHostFeatures(host).empty());
  EXPECT_EQ(resolveCpuTarget(CpuTarget::host), host);
  // No later (more specific) row runs here if host stopped before it.
  bool after = false;
  for (const CpuTargetInfo &info : cpuTargets()) {
    if (after) {
      EXPECT_FALSE(missingHostFeatures(info.id).empty()) << info.name.str();
    }
    after |= info.id == host;
  }
}

TEST(CpuTargetTest, RequiredFeaturesIncludeTheLevelsBelow) {
  llvm::SmallVector<llvm::StringRef> v4 = cpuTargetInfo(CpuTarget::avx512_vnni).requiredFeatures();
  for (llvm::StringRef feature : {"sse4.2", "avx2", "fma", "avx512bw", "avx512vl", "avx512vnni"})
    EXPECT_TRUE(llvm::is_contained(v4, feature)) << feature.str();
  EXPECT_TRUE(cpuTargetInfo(CpuTarget::scalar).requiredFeatures().empty());
}

} // namespace
