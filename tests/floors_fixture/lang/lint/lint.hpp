// Sideways: lint and format stand side by side.
#pragma once
#include "base/value.hpp"
#include "lang/format/layout.hpp"
