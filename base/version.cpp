// The version string, compiled in from CMake's PROJECT_VERSION; see version.hpp.
#include "base/version.hpp"

namespace catengine {

std::string catengine_version() {
  return CATENGINE_VERSION;
}

}  // namespace catengine
