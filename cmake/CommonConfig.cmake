# One INTERFACE target that every target links: language level, warnings, Qt strictness.
add_library(orderflow_common INTERFACE)
target_compile_features(orderflow_common INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)

target_compile_definitions(orderflow_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_BEFORE=0x060400
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    ORDERFLOW_VERSION="${PROJECT_VERSION}")

if(MSVC)
    target_compile_options(orderflow_common INTERFACE /W4 /permissive- /utf-8)
    if(ORDERFLOW_WERROR)
        target_compile_options(orderflow_common INTERFACE /WX)
    endif()
else()
    target_compile_options(orderflow_common INTERFACE -Wall -Wextra -Wpedantic -Wshadow
        -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
    if(ORDERFLOW_WERROR)
        target_compile_options(orderflow_common INTERFACE -Werror)
    endif()
endif()

# A build that checks memory and undefined behaviour as the tests run (clang or gcc), and, with
# ORDERFLOW_FUZZ (clang), the coverage libFuzzer steers by plus the tests/fuzz targets.
option(ORDERFLOW_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(ORDERFLOW_FUZZ "Build the libFuzzer targets (clang; implies ORDERFLOW_SANITIZE)" OFF)
if(ORDERFLOW_SANITIZE OR ORDERFLOW_FUZZ)
    # Undefined behaviour stops the program, so a test or fuzz run cannot pass over it.
    target_compile_options(orderflow_common INTERFACE -fsanitize=address,undefined
        -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(orderflow_common INTERFACE -fsanitize=address,undefined)
endif()
if(ORDERFLOW_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "ORDERFLOW_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
    endif()
    target_compile_options(orderflow_common INTERFACE -fsanitize=fuzzer-no-link)
endif()
