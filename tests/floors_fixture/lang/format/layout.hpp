// Allowed.
#pragma once
#include "lang/syntax/ast.hpp"
