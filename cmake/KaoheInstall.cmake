# Installing kaohe: headers, the library, the CLI, the shipped rulesets and example records under
# share/kaohe/, a CMake config package with a version file, and a pkg-config file.
#
#   cmake --install build --prefix /opt/kaohe
#   find_package(kaohe 0.1 CONFIG REQUIRED)  +  target_link_libraries(app PRIVATE kaohe::kaohe)
#   pkg-config --cflags --libs kaohe         (PKG_CONFIG_PATH=/opt/kaohe/lib/pkgconfig)
#
# Included by the top-level CMakeLists.txt after every target is defined.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KAOHE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/kaohe" CACHE STRING
    "Where the CMake package files go, relative to the prefix")
set(KAOHE_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/kaohe")

install(TARGETS kaohe_lib EXPORT kaohe-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)  # include/: the target's INSTALL_INTERFACE
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/kaohe DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT development FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")

get_target_property(KAOHE_LIBRARY_TYPE kaohe_lib TYPE)  # STATIC_LIBRARY or SHARED_LIBRARY
if(TARGET kaohe_cli)
  if(KAOHE_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
    file(RELATIVE_PATH _kaohe_bin_to_lib "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}"
         "${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}")
    set_target_properties(kaohe_cli PROPERTIES INSTALL_RPATH "$ORIGIN/${_kaohe_bin_to_lib}")
  endif()
  install(TARGETS kaohe_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
endif()

# The shipped rulesets and the example records: share/kaohe/rulesets/seed/seed.kh, ...
install(DIRECTORY ${PROJECT_SOURCE_DIR}/rulesets/ DESTINATION ${KAOHE_INSTALL_DATADIR}/rulesets COMPONENT runtime)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/records/ DESTINATION ${KAOHE_INSTALL_DATADIR}/examples/records
        COMPONENT runtime)

# ---- CMake package
install(EXPORT kaohe-targets NAMESPACE kaohe:: FILE kaohe-targets.cmake
        DESTINATION ${KAOHE_INSTALL_CMAKEDIR} COMPONENT development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/kaoheConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/kaoheConfig.cmake
                              INSTALL_DESTINATION ${KAOHE_INSTALL_CMAKEDIR}
                              PATH_VARS CMAKE_INSTALL_INCLUDEDIR KAOHE_INSTALL_DATADIR)
# 0.x: a minor version may break the API, so 0.1 accepts 0.1.y only.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/kaoheConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/kaoheConfig.cmake ${PROJECT_BINARY_DIR}/kaoheConfigVersion.cmake
        DESTINATION ${KAOHE_INSTALL_CMAKEDIR} COMPONENT development)

# ---- pkg-config: relocatable (paths relative to the .pc file's own folder).
function(kaohe_pc_path out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(KAOHE_PC_PREFIX_FROM_PCDIR "../..")  # unused: every path below is absolute
else()
  file(RELATIVE_PATH KAOHE_PC_PREFIX_FROM_PCDIR "/kaohe-root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/kaohe-root")
  string(REGEX REPLACE "/$" "" KAOHE_PC_PREFIX_FROM_PCDIR "${KAOHE_PC_PREFIX_FROM_PCDIR}")
endif()
kaohe_pc_path(KAOHE_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
kaohe_pc_path(KAOHE_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
kaohe_pc_path(KAOHE_PC_DATADIR "${KAOHE_INSTALL_DATADIR}")

# What a program linking libkaohe needs besides it: simdjson, utf8proc, libcrypto, libxlsxwriter, libzip, expat, threads, and, for a static
# library linked by a C compiler, the C++ runtime.
set(_kaohe_pc_deps "")
set(_kaohe_simdjson_file "")
foreach(_prop IMPORTED_LOCATION_RELEASE IMPORTED_LOCATION_RELWITHDEBINFO IMPORTED_LOCATION_NOCONFIG
              IMPORTED_LOCATION_DEBUG IMPORTED_LOCATION)
  if(NOT _kaohe_simdjson_file)
    get_target_property(_kaohe_simdjson_file simdjson::simdjson ${_prop})
  endif()
endforeach()
if(_kaohe_simdjson_file)
  get_filename_component(_kaohe_simdjson_dir "${_kaohe_simdjson_file}" DIRECTORY)
  if(NOT _kaohe_simdjson_dir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES)
    string(APPEND _kaohe_pc_deps " -L${_kaohe_simdjson_dir}")
  endif()
endif()
string(APPEND _kaohe_pc_deps " -lsimdjson -lutf8proc -lcrypto -lxlsxwriter -lzip -lexpat")
if(CMAKE_THREAD_LIBS_INIT)
  string(APPEND _kaohe_pc_deps " ${CMAKE_THREAD_LIBS_INIT}")
endif()
if(KAOHE_LIBRARY_TYPE STREQUAL "SHARED_LIBRARY")
  set(KAOHE_PC_LIBS "")
  set(KAOHE_PC_LIBS_PRIVATE "${_kaohe_pc_deps}")
else()
  set(_kaohe_pc_runtime "")
  foreach(_lib IN LISTS CMAKE_CXX_IMPLICIT_LINK_LIBRARIES)
    if(_lib MATCHES "^(stdc\\+\\+|c\\+\\+|c\\+\\+abi|m)$")
      string(APPEND _kaohe_pc_runtime " -l${_lib}")
    endif()
  endforeach()
  set(KAOHE_PC_LIBS "${_kaohe_pc_deps}${_kaohe_pc_runtime}")
  set(KAOHE_PC_LIBS_PRIVATE "")
endif()
string(STRIP "${KAOHE_PC_LIBS}" KAOHE_PC_LIBS)
string(STRIP "${KAOHE_PC_LIBS_PRIVATE}" KAOHE_PC_LIBS_PRIVATE)
configure_file(${CMAKE_CURRENT_LIST_DIR}/kaohe.pc.in ${PROJECT_BINARY_DIR}/kaohe.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/kaohe.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)
