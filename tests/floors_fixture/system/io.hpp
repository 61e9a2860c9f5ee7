// system uses only base.
#pragma once
#include "data/dataset.hpp"
