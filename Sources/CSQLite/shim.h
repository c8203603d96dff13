#ifndef ROSTER_CSQLITE_SHIM_H
#define ROSTER_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_STATIC is a cast macro Swift cannot import: SQLite reads the bound bytes where they
// are, so they must outlive the binding.
static inline void (*roster_sqlite_static(void))(void *) { return SQLITE_STATIC; }
#endif
