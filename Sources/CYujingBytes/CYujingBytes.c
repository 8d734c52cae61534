// The kernels are header-only (see include/CYujingBytes.h); this file gives the target a translation unit.
#include "CYujingBytes.h"
