// SQLite (Debian's libsqlite3-dev), the online-store benchmark's SQL baseline.
#include <sqlite3.h>
