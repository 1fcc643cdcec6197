#ifndef STET_CZLIB_SHIM_H
#define STET_CZLIB_SHIM_H

#include <zlib.h>

#endif
