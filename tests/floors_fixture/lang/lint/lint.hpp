// Sideways: lint and format stand side by side.
#pragma once
#include "lang/format/layout.hpp"
#include "base/value.hpp"
