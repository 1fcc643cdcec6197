/* mimalloc serves every malloc and free of the stet binary: linked ahead of the C library, its
   malloc is the one the dynamic linker binds. Nothing here is called. */
#include <mimalloc.h>
