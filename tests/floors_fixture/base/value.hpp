// Climbs up: base must not include report.
#pragma once
#include "report/table.hpp"
#include "system/io.hpp"
