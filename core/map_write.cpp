#include "core/map_write.h"

#include <bpf/bpf.h>

#include <string>

namespace gamesched {

Status map_update(int fd, const void* key, const void* value, const char* what) {
    if (fd < 0) return Ok{};
    if (bpf_map_update_elem(fd, key, value, BPF_ANY) != 0)
        return Error::from_errno(std::string("writing ") + what);
    return Ok{};
}

Status map_delete(int fd, const void* key, const char* what) {
    if (fd < 0) return Ok{};
    if (bpf_map_delete_elem(fd, key) != 0 && errno != ENOENT)
        return Error::from_errno(std::string("deleting from ") + what);
    return Ok{};
}

}  // namespace gamesched
