# `cmake --install`: headers (with the generated .inc files), libraries,
# tools, and a relocatable CMake package: find_package(Pike CONFIG).
include(CMakePackageConfigHelpers)

set(PIKE_LIBRARIES
  PikeNumerics PikeTarget PikeToolSupport PikeAot PikeNpy PikeGuardedBuffers PikeInterfaces PikeOnnxDialect PikeDialect PikeTransforms PikeLowering PikeToLinalg PikeToCPU
  PikeOnnxToPike PikeQuantToPike PikeAnalysis PikePipelines PikeRunner)

foreach(target ${PIKE_LIBRARIES} PikeCAPI)
  target_include_directories(${target} INTERFACE
    $<BUILD_INTERFACE:${PIKE_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PIKE_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
endforeach()

install(TARGETS ${PIKE_LIBRARIES} PikeCAPI
  EXPORT PikeTargets
  ARCHIVE DESTINATION lib
  LIBRARY DESTINATION lib
  RUNTIME DESTINATION bin)
install(TARGETS pike-opt pike-run pike-translate RUNTIME DESTINATION bin)

install(DIRECTORY include/pike include/pike-c
  DESTINATION include
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${PIKE_BINARY_DIR}/include/pike
  DESTINATION include
  FILES_MATCHING PATTERN "*.inc")

install(EXPORT PikeTargets NAMESPACE Pike:: DESTINATION lib/cmake/pike)
configure_package_config_file(cmake/PikeConfig.cmake.in
  ${PIKE_BINARY_DIR}/lib/cmake/pike/PikeConfig.cmake
  INSTALL_DESTINATION lib/cmake/pike)
write_basic_package_version_file(${PIKE_BINARY_DIR}/lib/cmake/pike/PikeConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${PIKE_BINARY_DIR}/lib/cmake/pike/PikeConfig.cmake
  ${PIKE_BINARY_DIR}/lib/cmake/pike/PikeConfigVersion.cmake
  DESTINATION lib/cmake/pike)
