#include "helpers/mlcollect/confinement.h"

namespace gamesched::ml {

sandbox::Policy confinement(const std::filesystem::path& state_dir) {
    sandbox::FsAccess fs;
    fs.read = {"/usr", "/etc", "/proc/self"};
    fs.write = {state_dir.string()};
    // Serving the request socket needs accept4 only: it is bound before confinement.
    return {.extra_syscalls = {"accept4"}, .filesystem = std::move(fs), .read_only = false};
}

}  // namespace gamesched::ml
