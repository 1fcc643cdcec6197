/* libgit2 reads every object of a pack with one call of zlib's inflate: a fresh stream, all of
   the object's compressed bytes (and whatever follows them in the pack) as input, room for the
   whole object as output, Z_FINISH. For that call libdeflate, which inflates whole buffers only,
   is about twice as fast as zlib's streaming inflate, and reading blobs is most of a comparison.

   This file defines inflate and the calls that set up, reset, prime and end a stream; linked
   into the executable, they are the definitions the dynamic linker binds libgit2's calls to, and each
   forwards to zlib's own (found with dlsym(RTLD_NEXT, ...)). inflate takes the libdeflate path
   only when the result is certain to be zlib's: a stream set up by inflateInit_ (the zlib
   format, no other), nothing read or written on it yet, Z_FINISH, and libdeflate inflating the
   whole stream, its Adler-32 checked, into the space given. The stream is then left as zlib
   leaves a finished one (pointers, counts, adler), and inflate returns Z_STREAM_END. Anything
   else -- input cut short, too little room, bad data, a second call, a raw or gzip stream --
   goes to zlib unchanged, and zlib reports what it reports. STET_INFLATE=zlib turns the
   libdeflate path off. */
#define _GNU_SOURCE
#include "CInflate.h"

#include <dlfcn.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef int (*inflate_fn)(z_streamp, int);
typedef int (*init_fn)(z_streamp, const char *, int);
typedef int (*init2_fn)(z_streamp, int, const char *, int);
typedef int (*stream_fn)(z_streamp);
typedef int (*reset2_fn)(z_streamp, int);
typedef int (*prime_fn)(z_streamp, int, int);
typedef int (*dictionary_fn)(z_streamp, const Bytef *, uInt);

static struct {
    inflate_fn inflate;
    init_fn inflateInit_;
    init2_fn inflateInit2_;
    stream_fn inflateReset, inflateResetKeep, inflateSync, inflateEnd;
    reset2_fn inflateReset2;
    prime_fn inflatePrime;
    dictionary_fn inflateSetDictionary;
} zlib;
static int enabled;
static pthread_key_t decompressor_key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static __thread long whole_count, streamed_count;

static void free_decompressor(void *decompressor) { libdeflate_free_decompressor(decompressor); }

static void *zlib_function(const char *name) {
    void *function = dlsym(RTLD_NEXT, name);
    if (!function) abort();
    return function;
}

static void load(void) {
    zlib.inflate = (inflate_fn)zlib_function("inflate");
    zlib.inflateInit_ = (init_fn)zlib_function("inflateInit_");
    zlib.inflateInit2_ = (init2_fn)zlib_function("inflateInit2_");
    zlib.inflateReset = (stream_fn)zlib_function("inflateReset");
    zlib.inflateResetKeep = (stream_fn)zlib_function("inflateResetKeep");
    zlib.inflateReset2 = (reset2_fn)zlib_function("inflateReset2");
    zlib.inflateSync = (stream_fn)zlib_function("inflateSync");
    zlib.inflatePrime = (prime_fn)zlib_function("inflatePrime");
    zlib.inflateSetDictionary = (dictionary_fn)zlib_function("inflateSetDictionary");
    zlib.inflateEnd = (stream_fn)zlib_function("inflateEnd");
    const char *choice = getenv("STET_INFLATE");
    enabled = !(choice && strcmp(choice, "zlib") == 0) && pthread_key_create(&decompressor_key, free_decompressor) == 0;
}

/* The streams known to be in the zlib format: set up by inflateInit_ and, since then, not
   ended, set up again in another format, primed, synced or given a dictionary. Each is fresh (header unread),
   finished by libdeflate, or in zlib's hands. A few are open at a time (one per reading thread);
   when the table is full a stream is not listed, and goes to zlib. */
enum state { unlisted, fresh, finished, streaming };
#define LISTED 64
static struct listing {
    z_streamp stream;
    enum state state;
} listed[LISTED];
static pthread_mutex_t listed_lock = PTHREAD_MUTEX_INITIALIZER;

static enum state state_of(z_streamp stream) {
    enum state state = unlisted;
    pthread_mutex_lock(&listed_lock);
    for (int index = 0; index < LISTED && state == unlisted; index++)
        if (listed[index].stream == stream) state = listed[index].state;
    pthread_mutex_unlock(&listed_lock);
    return state;
}

static void set_state(z_streamp stream, enum state state) {
    pthread_mutex_lock(&listed_lock);
    int slot = -1;
    for (int index = 0; index < LISTED; index++) {
        if (listed[index].stream == stream) { slot = index; break; }
        if (listed[index].stream == NULL && slot < 0) slot = index;
    }
    if (slot >= 0 && (state != unlisted || listed[slot].stream == stream))
        listed[slot] = (struct listing){state == unlisted ? NULL : stream, state};
    pthread_mutex_unlock(&listed_lock);
}

int inflateInit_(z_streamp stream, const char *version, int size) {
    pthread_once(&once, load);
    set_state(stream, unlisted);
    int result = zlib.inflateInit_(stream, version, size);
    if (result == Z_OK && enabled) set_state(stream, fresh);
    return result;
}

int inflateInit2_(z_streamp stream, int window_bits, const char *version, int size) {
    pthread_once(&once, load);
    set_state(stream, unlisted);
    return zlib.inflateInit2_(stream, window_bits, version, size);
}

/* A reset that keeps the format: a listed stream is fresh again. */
static int reset_keeping(z_streamp stream, int keep) {
    enum state was = state_of(stream);
    int result = keep ? zlib.inflateResetKeep(stream) : zlib.inflateReset(stream);
    set_state(stream, was != unlisted && result == Z_OK ? fresh : unlisted);
    return result;
}

int inflateReset(z_streamp stream) {
    pthread_once(&once, load);
    return reset_keeping(stream, 0);
}

int inflateResetKeep(z_streamp stream) {
    pthread_once(&once, load);
    return reset_keeping(stream, 1);
}

int inflateReset2(z_streamp stream, int window_bits) {
    pthread_once(&once, load);
    int result = zlib.inflateReset2(stream, window_bits);
    set_state(stream, unlisted);
    return result;
}

int inflateSync(z_streamp stream) {
    pthread_once(&once, load);
    set_state(stream, unlisted);
    return zlib.inflateSync(stream);
}

int inflatePrime(z_streamp stream, int bits, int value) {
    pthread_once(&once, load);
    set_state(stream, unlisted);
    return zlib.inflatePrime(stream, bits, value);
}

int inflateSetDictionary(z_streamp stream, const Bytef *dictionary, uInt length) {
    pthread_once(&once, load);
    set_state(stream, unlisted);
    return zlib.inflateSetDictionary(stream, dictionary, length);
}

int inflateEnd(z_streamp stream) {
    pthread_once(&once, load);
    set_state(stream, unlisted);
    return zlib.inflateEnd(stream);
}

/* Inflates the whole stream with libdeflate; 0 when it cannot (the stream is then untouched). */
static int inflate_whole(z_streamp stream) {
    struct libdeflate_decompressor *decompressor = pthread_getspecific(decompressor_key);
    if (!decompressor) {
        decompressor = libdeflate_alloc_decompressor();
        if (!decompressor || pthread_setspecific(decompressor_key, decompressor) != 0) {
            if (decompressor) libdeflate_free_decompressor(decompressor);
            return 0;
        }
    }
    size_t used = 0, made = 0;
    if (libdeflate_zlib_decompress_ex(decompressor, stream->next_in, stream->avail_in, stream->next_out,
                                      stream->avail_out, &used, &made) != LIBDEFLATE_SUCCESS)
        return 0;
    const Bytef *trailer = stream->next_in + used - 4;
    stream->adler = (uLong)trailer[0] << 24 | (uLong)trailer[1] << 16 | (uLong)trailer[2] << 8 | trailer[3];
    stream->next_in += used;
    stream->avail_in -= (uInt)used;
    stream->total_in = used;
    stream->next_out += made;
    stream->avail_out -= (uInt)made;
    stream->total_out = made;
    return 1;
}

int inflate(z_streamp stream, int flush) {
    pthread_once(&once, load);
    enum state state = enabled && stream ? state_of(stream) : unlisted;
    /* zlib answers a finished stream Z_STREAM_END until it is reset. */
    if (state == finished) return Z_STREAM_END;
    if (state == fresh && flush == Z_FINISH && stream->total_in == 0 && stream->total_out == 0 && stream->next_in &&
        stream->next_out && stream->avail_out > 0 && inflate_whole(stream)) {
        set_state(stream, finished);
        whole_count++;
        return Z_STREAM_END;
    }
    if (state == fresh) set_state(stream, streaming);
    streamed_count++;
    return zlib.inflate(stream, flush);
}

void stet_inflate_counts(long *whole, long *streamed) {
    *whole = whole_count;
    *streamed = streamed_count;
}
