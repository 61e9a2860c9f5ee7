// CATENGINE_VECTOR_CLONES: compile a function three times, for AVX-512, AVX2 and any x86-64
// (function multi-versioning, an ifunc chosen when the program loads), so loops over values
// vectorise as wide as the processor allows without a build for each machine. Elsewhere, and
// under AddressSanitizer (whose start-up the loader's early call of the chooser would precede),
// the function is compiled once, for the target.
#pragma once

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CATENGINE_NO_CLONES
#endif
#endif
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(CATENGINE_NO_CLONES)
#define CATENGINE_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CATENGINE_VECTOR_CLONES
#endif
