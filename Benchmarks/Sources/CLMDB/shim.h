// LMDB (Debian's liblmdb-dev), the online-store benchmark's key-value baseline.
#include <lmdb.h>
