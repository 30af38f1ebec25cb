#include "helpers/common/landlock.h"

#include "util/unique_fd.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace gamesched::sandbox {
namespace {

constexpr std::uint64_t kReadFile = LANDLOCK_ACCESS_FS_READ_FILE;
constexpr std::uint64_t kReadDir = kReadFile | LANDLOCK_ACCESS_FS_READ_DIR;
// What a write directory grants inside it: make and replace regular files and directories.
constexpr std::uint64_t kWriteDir = kReadDir | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                    LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                                    LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_DIR |
                                    LANDLOCK_ACCESS_FS_TRUNCATE;
// The rights a rule on a non-directory may carry.
constexpr std::uint64_t kFileRights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                      LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |
                                      LANDLOCK_ACCESS_FS_IOCTL_DEV;

// Every filesystem right the given ABI knows: handled rights are denied unless a rule grants them.
std::uint64_t handled_fs_rights(int abi) {
    std::uint64_t rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;  // ABI 1
    if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    return rights;
}

Status add_path_rule(int ruleset, const std::string& path, std::uint64_t rights, std::uint64_t handled) {
    UniqueFd fd(open(path.c_str(), O_PATH | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT || errno == ENOTDIR) return Ok{};  // nothing there to grant
        return Error::from_errno("sandbox: opening " + path + " for a Landlock rule");
    }
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) return Error::from_errno("sandbox: fstat " + path);
    if (!S_ISDIR(st.st_mode)) rights &= kFileRights;
    landlock_path_beneath_attr rule{};
    rule.allowed_access = rights & handled;
    rule.parent_fd = fd.get();
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0) {
        return Error::from_errno("sandbox: Landlock rule for " + path);
    }
    return Ok{};
}

}  // namespace

int landlock_abi() {
    const long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi > 0 ? static_cast<int>(abi) : 0;
}

Status restrict_filesystem(const FsAccess& access) {
    const int abi = landlock_abi();
    if (abi == 0) return Ok{};
    landlock_ruleset_attr attr{};
    attr.handled_access_fs = handled_fs_rights(abi);
    std::size_t attr_size = offsetof(landlock_ruleset_attr, handled_access_net);
    if (abi >= 4) {  // no TCP at all (seccomp already refuses non-unix sockets; this is a second lock)
        attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
        attr_size = offsetof(landlock_ruleset_attr, scoped);
    }
    if (abi >= 6) {
        attr.scoped = LANDLOCK_SCOPE_SIGNAL;
        if (access.scope_abstract_sockets) attr.scoped |= LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
        attr_size = sizeof attr;
    }
    UniqueFd ruleset(static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0)));
    if (!ruleset) return Error::from_errno("sandbox: landlock_create_ruleset");
    for (const auto& path : access.read) {
        if (auto s = add_path_rule(ruleset.get(), path, kReadDir, attr.handled_access_fs); !s) return s;
    }
    for (const auto& path : access.write) {
        if (auto s = add_path_rule(ruleset.get(), path, kWriteDir, attr.handled_access_fs); !s) return s;
    }
    if (syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) {
        return Error::from_errno("sandbox: landlock_restrict_self");
    }
    return Ok{};
}

}  // namespace gamesched::sandbox
