#ifndef ROSTER_CMALLOC_SHIM_H
#define ROSTER_CMALLOC_SHIM_H
// glibc's allocator settings (mallopt), which the C library's Swift module leaves out.
#include <malloc.h>
#endif
