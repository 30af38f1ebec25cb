// Writes to a map of the attached scheduler. A map fd of -1 means this scheduler has no such map
// (the FIFO baseline) or none is attached: the write is then a no-op, the desired state is kept
// by the caller and replayed at the next attach.
#pragma once

#include "util/result.h"

namespace gamesched {

Status map_update(int fd, const void* key, const void* value, const char* what);
Status map_delete(int fd, const void* key, const char* what);  // a missing key is fine

}  // namespace gamesched
