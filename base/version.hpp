// The version of catengine, as the build sets it (CMake's PROJECT_VERSION): printed by
// --version and recorded in every provenance, so a result names the program that produced it.
#pragma once

#include <string>

namespace catengine {

std::string catengine_version();

}  // namespace catengine
