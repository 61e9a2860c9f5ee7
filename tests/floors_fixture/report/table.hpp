// Allowed: report may use base and system.
#pragma once
#include "base/value.hpp"
#include "system/io.hpp"
