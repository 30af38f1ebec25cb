#include "helpers/common/runtime_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace gamesched::sandbox {

Result<std::string> checked_runtime_dir(const char* value) {
    const std::string hint = "; start the helper from the user's login session (systemd --user)";
    if (value == nullptr || value[0] != '/') {
        return Error::invalid("XDG_RUNTIME_DIR is not set to an absolute path" + hint);
    }
    const std::string dir = value;
    struct stat st {};
    if (lstat(dir.c_str(), &st) != 0) return Error::from_errno("XDG_RUNTIME_DIR " + dir).context("checking");
    if (S_ISLNK(st.st_mode)) return Error{ELOOP, "XDG_RUNTIME_DIR " + dir + " is a symlink" + hint};
    if (!S_ISDIR(st.st_mode)) return Error{ENOTDIR, "XDG_RUNTIME_DIR " + dir + " is not a directory" + hint};
    if (st.st_uid != getuid()) {
        return Error{EPERM, "XDG_RUNTIME_DIR " + dir + " belongs to uid " + std::to_string(st.st_uid) +
                                ", not to you (uid " + std::to_string(getuid()) + ")" + hint};
    }
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
        return Error{EPERM, "XDG_RUNTIME_DIR " + dir + " is open to group or others (mode " + mode +
                                "); it must be 0700" + hint};
    }
    return dir;
}

Result<std::string> user_runtime_dir() {
    return checked_runtime_dir(std::getenv("XDG_RUNTIME_DIR"));
}

}  // namespace gamesched::sandbox
