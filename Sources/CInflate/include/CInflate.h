/* zlib's inflate, served by libdeflate where a whole stream is inflated at once (see inflate.c).
   Linked into the stet binary; nothing here needs calling for it to take effect. */
#ifndef STET_CINFLATE_H
#define STET_CINFLATE_H

#include <zlib.h>

/* How many of the calling thread's inflate calls libdeflate finished and how many went to zlib
   (for tests). */
void stet_inflate_counts(long *whole, long *streamed);

#endif
